export enum PageStatus {
  Pending = 'pending',
  Processing = 'processing',
  Completed = 'completed',
  Failed = 'failed',
}

export enum PageType {
  Cover = 'cover',
  Header = 'header',
  Content = 'content',
  Footer = 'footer',
  Summary = 'summary',
  Attachment = 'attachment',
}

export enum ColorSpace {
  Rgb = 'rgb',
  Cmyk = 'cmyk',
  Grayscale = 'grayscale',
  Binary = 'binary',
}

export enum ImageFormat {
  Png = 'png',
  Jpeg = 'jpeg',
  Tiff = 'tiff',
  Webp = 'webp',
  Gif = 'gif',
  Bmp = 'bmp',
  Pdf = 'pdf',
}

export enum BlockType {
  Text = 'text',
  Title = 'title',
  Table = 'table',
  Image = 'image',
  Barcode = 'barcode',
  Signature = 'signature',
  Handwriting = 'handwriting',
}

export enum AnnotationType {
  Correction = 'correction',
  Note = 'note',
  Highlight = 'highlight',
  Redaction = 'redaction',
  Flag = 'flag',
}

/** Where an extracted field's value comes from. */
export enum FieldSource {
  Ocr = 'ocr',
  EInvoice = 'e-invoice',
  Review = 'review',
}

/** The invoice fields processing extracts into a page's `extractedFields` (API.md). */
export const INVOICE_FIELD_NAMES = [
  'invoiceNumber',
  'invoiceDate',
  'dueDate',
  'purchaseOrder',
  'vendorName',
  'vendorTaxId',
  'customerName',
  'currency',
  'subtotal',
  'taxAmount',
  'totalAmount',
] as const;
