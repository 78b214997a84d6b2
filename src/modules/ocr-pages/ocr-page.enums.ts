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

/** Where an extracted field's value comes from. */
export enum FieldSource {
  /** Read from the page image by OCR. */
  Ocr = 'ocr',
  /** Taken from an e-invoice (XML) embedded in the document. */
  EInvoice = 'e-invoice',
  /** Set by a person through the corrections endpoint. */
  Review = 'review',
}

/** Whether a processed page needs a person to look at it, and what they decided. */
export enum ReviewStatus {
  NotNeeded = 'not_needed',
  Needed = 'needed',
  Approved = 'approved',
  Rejected = 'rejected',
}

/** A reviewer's decision (POST …/review). */
export enum ReviewDecision {
  Approve = 'approve',
  Reject = 'reject',
}

/** What happened to a page, as its history records it. */
export enum PageEventType {
  Created = 'created',
  Updated = 'updated',
  Processed = 'processed',
  Failed = 'failed',
  Corrected = 'corrected',
  Reviewed = 'reviewed',
  Deleted = 'deleted',
}
