import type { ExtractedFields, RecognizedLine } from '../processing.types.js';
import { line, page, phrase } from './extract.testing.js';
import { extractInvoiceFields, identifierAsPrinted } from './invoice-fields.js';

/** Fields as `{ name: [value, confidence] }` for compact, exact expectations. */
function summary(fields: ExtractedFields): Record<string, [string | number, number]> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [name, [field.value, field.confidence]]),
  );
}

/** A two-column header row as ONE OCR line: vendor block at x=50, invoice details at x=600. */
const twoColumns = (y: number, left: string, rightText: string): RecognizedLine =>
  line(y, [...(left === '' ? [] : phrase(50, left)), ...phrase(600, rightText)]);

const US_INVOICE = page(
  twoColumns(40, 'Acme Design Studio', 'INVOICE'),
  twoColumns(70, '123 Market Street', 'Invoice No: INV-2024-0042'),
  twoColumns(100, 'Springfield, IL 62701', 'Invoice Date: 03/15/2024'),
  twoColumns(130, 'Tax ID: 12-3456789', 'Due Date: 04/14/2024'),
  twoColumns(160, '', 'PO Number: PO-4500'),
  line(200, phrase(50, 'Bill To:')),
  line(230, phrase(50, 'Contoso Retail Ltd')),
  line(260, phrase(50, '42 Harbour Road')),
  // "Total" heads a table column here: it must not become the invoice total.
  line(300, [
    ...phrase(50, 'Description'),
    ...phrase(400, 'Qty'),
    ...phrase(500, 'Unit Price'),
    ...phrase(690, 'Total'),
  ]),
  line(330, [
    ...phrase(50, 'Website redesign and development'),
    ['1', 420, 10],
    ['2,500.00', 520, 80],
    ['2,500.00', 660, 80],
  ]),
  line(360, [
    ...phrase(50, 'Hosting (12 months)'),
    ['12', 410, 20],
    ['25.00', 550, 50],
    ['300.00', 680, 60],
  ]),
  line(390, [
    ...phrase(50, 'SEO audit and keyword report'),
    ['1', 420, 10],
    ['1,450.00', 520, 80],
    ['1,450.00', 660, 80],
  ]),
  line(440, [...phrase(500, 'Subtotal'), ['4,250.00', 660, 80]]),
  line(470, [...phrase(500, 'Sales Tax 8%'), ['340.00', 680, 60]]),
  line(500, [...phrase(500, 'Total Due'), ['$4,590.00', 650, 90]]),
);

describe('extractInvoiceFields', () => {
  it('reads a US invoice with a two-column header, a table and a summary', () => {
    const { fields, checks } = extractInvoiceFields(US_INVOICE, {
      lineItems: { cells: [], lineAmounts: [2500, 300, 1450] },
    });

    expect(summary(fields)).toEqual({
      vendorName: ['Acme Design Studio', 0.63],
      invoiceNumber: ['INV-2024-0042', 0.9],
      invoiceDate: ['2024-03-15', 0.9],
      dueDate: ['2024-04-14', 0.9],
      purchaseOrder: ['PO-4500', 0.9],
      vendorTaxId: ['12-3456789', 0.9],
      customerName: ['Contoso Retail Ltd', 0.81],
      currency: ['USD', 0.9],
      subtotal: [4250, 0.9],
      taxAmount: [340, 0.9],
      totalAmount: [4590, 0.9],
    });
    expect(checks).toEqual([
      {
        name: 'subtotalPlusTaxEqualsTotal',
        passed: true,
        detail: '4250.00 + 340.00 = 4590.00',
        fields: [],
      },
      {
        name: 'lineAmountsSumToSubtotal',
        passed: true,
        detail: '2500.00 + 300.00 + 1450.00 = 4250.00',
        fields: [],
      },
      {
        name: 'dueDateNotBeforeInvoiceDate',
        passed: true,
        detail: '2024-04-14 ≥ 2024-03-15',
        fields: [],
      },
    ]);
  });

  it('boxes each value by its own words, not by its label or the other column', () => {
    const { fields } = extractInvoiceFields(US_INVOICE);

    expect(fields.invoiceNumber?.boundingBox).toEqual({ x: 720, y: 70, width: 130, height: 20 });
    expect(fields.vendorName?.boundingBox).toEqual({ x: 50, y: 40, width: 180, height: 20 });
    expect(fields.customerName?.boundingBox).toEqual({ x: 50, y: 230, width: 180, height: 20 });
    expect(fields.totalAmount?.boundingBox).toEqual({ x: 650, y: 500, width: 90, height: 20 });
    expect(fields.currency?.boundingBox).toEqual({ x: 650, y: 500, width: 90, height: 20 });
  });

  it('reads an EU invoice: decimal commas, day-first dates, values under their labels', () => {
    const { fields, checks } = extractInvoiceFields(
      page(
        line(40, phrase(50, 'Helios Software GmbH')),
        line(70, phrase(50, 'Hauptstraße 12, 10115 Berlin')),
        line(100, phrase(50, 'USt-IdNr. DE136695976')),
        // Labels in a row, values in the row below (each a separate cell: gaps > 3 heights).
        line(150, [
          ...phrase(50, 'Invoice No'),
          ...phrase(300, 'Invoice Date'),
          ...phrase(550, 'Due Date'),
        ]),
        line(175, [
          ...phrase(50, 'RE-24-0042'),
          ...phrase(300, '05/03/2024'),
          ...phrase(550, '04/04/2024'),
        ]),
        line(230, phrase(50, 'Billed To')),
        line(255, phrase(50, 'Kaufhaus Sommer GmbH', 0.8)),
        line(400, [...phrase(450, 'Net amount'), ['1.000,00 €', 650, 100]]),
        line(430, [...phrase(450, 'VAT 20%'), ['200,00 €', 670, 80]]),
        line(460, [...phrase(450, 'Total incl. VAT'), ['1.200,00 €', 650, 100]]),
      ),
    );

    expect(summary(fields)).toEqual({
      vendorName: ['Helios Software GmbH', 0.81],
      vendorTaxId: ['DE136695976', 0.9],
      invoiceNumber: ['RE-24-0042', 0.81],
      // 05/03 is ambiguous; a comma-decimal page reads it day first.
      invoiceDate: ['2024-03-05', 0.81],
      dueDate: ['2024-04-04', 0.81],
      customerName: ['Kaufhaus Sommer GmbH', 0.72],
      currency: ['EUR', 0.9],
      subtotal: [1000, 0.9],
      taxAmount: [200, 0.9],
      totalAmount: [1200, 0.9],
    });
    expect(checks.map((check) => [check.name, check.passed])).toEqual([
      ['subtotalPlusTaxEqualsTotal', true],
      ['dueDateNotBeforeInvoiceDate', true],
    ]);
  });

  it('reads noisy OCR labels and the "From:" vendor label', () => {
    const { fields } = extractInvoiceFields(
      page(
        line(40, [
          ['From:', 50, 50, 0.95],
          ['Northwind', 110, 90, 0.8],
          ['Traders', 210, 70, 0.9],
          ['Ltd', 290, 30, 0.7],
        ]),
        line(70, phrase(50, 'Northwind House')),
        line(120, phrase(50, 'lnvoice N0: 2024/00042')),
        line(150, phrase(50, 'Date: 15/03/2024.')),
        line(180, phrase(50, 'VAT Reg. No. GB980780684')),
        line(350, phrase(450, 'TOTAL: £1,234.56.')),
      ),
    );

    expect(summary(fields)).toEqual({
      vendorName: ['Northwind Traders Ltd', 0.8],
      invoiceNumber: ['2024/00042', 0.9],
      invoiceDate: ['2024-03-15', 0.9],
      vendorTaxId: ['GB980780684', 0.9],
      currency: ['GBP', 0.9],
      totalAmount: [1234.56, 0.85],
    });
  });

  it('takes a value from a later cell on the row when the label stands alone', () => {
    const { fields } = extractInvoiceFields(
      page(
        line(100, [...phrase(50, 'Invoice Date:'), ...phrase(400, 'March 15, 2024')]),
        line(130, [...phrase(50, 'Invoice #'), ...phrase(400, 'F123456')]),
        line(160, [...phrase(50, 'Amount Due'), ...phrase(400, 'USD 99.00')]),
      ),
    );

    expect(summary(fields)).toEqual({
      invoiceDate: ['2024-03-15', 0.9],
      invoiceNumber: ['F123456', 0.9],
      totalAmount: [99, 0.85],
      currency: ['USD', 0.9],
    });
  });

  it('picks, under a row of labels set close together, the value nearest each label', () => {
    const { fields } = extractInvoiceFields(
      page(
        // One segment each: the gaps (40 px) are below 3 word heights.
        line(100, [...phrase(50, 'Invoice Date'), ...phrase(210, 'Due Date')]),
        line(125, [
          ['15/03/2024', 50, 100],
          ['14/04/2024', 190, 100],
        ]),
      ),
    );

    expect(summary(fields)).toEqual({
      invoiceDate: ['2024-03-15', 0.81],
      dueDate: ['2024-04-14', 0.81],
    });
  });

  it('ignores labels inside the item table ("Tax" in a description)', () => {
    const { fields } = extractInvoiceFields(
      page(
        line(100, [...phrase(50, 'Service'), ...phrase(400, 'Hours'), ...phrase(600, 'Amount')]),
        line(130, [...phrase(50, 'Tax return preparation'), ['4', 420, 10], ['600.00', 600, 60]]),
        line(200, [...phrase(450, 'Tax'), ['48.00', 610, 50]]),
      ),
    );

    expect(summary(fields)).toEqual({ taxAmount: [48, 0.85] });
  });

  it("does not look elsewhere when the label's own line has text but no valid value", () => {
    const { fields } = extractInvoiceFields(
      page(
        line(100, phrase(50, 'Due: upon receipt')),
        // A date right under "Due" belongs to something else.
        line(125, phrase(50, '01/02/2024 delivered')),
      ),
    );

    expect(fields.dueDate).toBeUndefined();
  });

  it('tells a VAT number from a VAT amount and ignores the VAT rate', () => {
    const { fields } = extractInvoiceFields(
      page(
        line(100, phrase(50, 'VAT: FR40303265045')),
        line(300, [...phrase(450, 'Subtotal'), ['100.00', 650, 60]]),
        line(330, [...phrase(450, 'Tax (VAT 20%)'), ['20.00', 660, 50]]),
        line(360, [...phrase(450, 'Total'), ['120.00', 650, 60]]),
      ),
    );

    expect(summary(fields)).toEqual({
      vendorTaxId: ['FR40303265045', 0.9],
      subtotal: [100, 0.9],
      taxAmount: [20, 0.9],
      totalAmount: [120, 0.9],
      currency: ['EUR', 0.6],
    });
  });

  it.each<[string, string | undefined]>([
    ['VAT No: GB980780684', 'GB980780684'],
    ['VAT Reg No DE 136 695 976', 'DE 136 695 976'],
    ['UID: CHE-116.281.710 MWST', 'CHE-116.281.710 MWST'],
    ['VAT ID: ATU13585627', 'ATU13585627'],
    ['VAT: NL004495445B01', 'NL004495445B01'],
    ['EIN: 12-3456789', '12-3456789'],
    ['ABN 51 824 753 556', '51 824 753 556'],
    ['Tax ID: 12345', undefined],
    ['VAT: 123456789', undefined],
  ])('reads the tax id in %j as %j', (text, expected) => {
    const { fields } = extractInvoiceFields(page(line(100, phrase(50, text))));

    expect(fields.vendorTaxId?.value).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['Invoice No: INV-2024-00042', 'INV-2024-00042'],
    ['Invoice #RE-24-0042', 'RE-24-0042'],
    ['Invoice Number 2024/00042', '2024/00042'],
    ['INVOICE NO. F123456', 'F123456'],
    ['Invoice: INV12345.', 'INV12345'],
    ['Invoice No: pending', undefined],
    ['INVOICE', undefined],
  ])('reads the invoice number in %j as %j', (text, expected) => {
    const { fields } = extractInvoiceFields(page(line(100, phrase(50, text))));

    expect(fields.invoiceNumber?.value).toBe(expected);
  });

  it('prefers specific labels: "Grand Total" over "Total", "Invoice Date" over "Date"', () => {
    const { fields } = extractInvoiceFields(
      page(
        line(100, phrase(50, 'Date 01/03/2024')),
        line(130, phrase(50, 'Invoice Date 02/03/2024')),
        line(300, phrase(450, 'Total 100.00')),
        line(330, phrase(450, 'Grand Total 110.00')),
        line(360, phrase(450, 'Balance Due 50.00')),
      ),
    );

    expect(fields.invoiceDate?.value).toBe('2024-02-03');
    expect(fields.totalAmount?.value).toBe(110);
  });

  it.each<[string, RecognizedLine[], Record<string, [string | number, number]>]>([
    ['an empty page', [], {}],
    [
      'a page with a title and a total only',
      [line(40, phrase(300, 'INVOICE')), line(300, phrase(450, 'Total 99.00'))],
      { totalAmount: [99, 0.85] },
    ],
    [
      'a vendor candidate that is an address or a number',
      [
        line(40, phrase(50, '12 High Street')),
        line(70, phrase(50, 'info@example.com')),
        line(100, phrase(50, 'Invoice No: 7')),
      ],
      { invoiceNumber: ['7', 0.9] },
    ],
  ])('extracts only what is there on %s', (_name, lines, expected) => {
    const { fields, checks } = extractInvoiceFields(page(...lines));

    expect(summary(fields)).toEqual(expected);
    expect(checks).toEqual([]);
  });

  it('lowers the confidence of fields in failed checks, once per failure, and keeps the values', () => {
    const { fields, checks } = extractInvoiceFields(
      page(
        line(100, phrase(50, 'Invoice Date: 2024-03-15')),
        line(130, phrase(50, 'Due Date: 2024-03-01')),
        line(300, phrase(450, 'Subtotal 100.00')),
        line(330, phrase(450, 'Tax 20.00')),
        line(360, phrase(450, 'Total 130.00')),
      ),
      { lineItems: { cells: [], lineAmounts: [60, 30] } },
    );

    expect(summary(fields)).toEqual({
      invoiceDate: ['2024-03-15', 0.45],
      dueDate: ['2024-03-01', 0.45],
      // Failed two checks: 0.9 × 0.5 × 0.5.
      subtotal: [100, 0.225],
      taxAmount: [20, 0.45],
      totalAmount: [130, 0.45],
    });
    expect(checks).toEqual([
      {
        name: 'subtotalPlusTaxEqualsTotal',
        passed: false,
        detail: '100.00 + 20.00 = 120.00 ≠ 130.00',
        fields: ['subtotal', 'taxAmount', 'totalAmount'],
      },
      {
        name: 'lineAmountsSumToSubtotal',
        passed: false,
        detail: '60.00 + 30.00 = 90.00 ≠ 100.00',
        fields: ['subtotal'],
      },
      {
        name: 'dueDateNotBeforeInvoiceDate',
        passed: false,
        detail: '2024-03-01 < 2024-03-15',
        fields: ['invoiceDate', 'dueDate'],
      },
    ]);
  });
});

describe('values under a row of labels, past OCR dust', () => {
  it('reads a German header row whose values sit under a speck line', () => {
    const { fields } = extractInvoiceFields(
      page(
        line(100, [...phrase(50, '.Rechnungs-Nr.: -'), ...phrase(300, 'Rechnungsdatum: =')]),
        line(123, [['n', 80, 6]]),
        line(130, [...phrase(50, '20253063'), ...phrase(300, '28.11.2025')]),
      ),
      { lineItems: { cells: [], lineAmounts: [] }, language: 'de' },
    );
    expect(fields.invoiceNumber?.value).toBe('20253063');
    expect(fields.invoiceDate?.value).toBe('2025-11-28');
  });
});

describe('identifierAsPrinted (O and 0, I and 1 where the parts say which was printed)', () => {
  it.each([
    ['P0-48207', 'PO-48207'],
    ['INV-2O24-001', 'INV-2024-001'],
    ['INV0042', 'INV0042'],
    ['B2O41', 'B2O41'],
    ['847/2023', '847/2023'],
    ['1NV-2023-48931', 'INV-2023-48931'],
    ['A1-2023', 'A1-2023'],
    ['1A-2023', '1A-2023'],
    ['12-3456', '12-3456'],
  ])('%s → %s', (read, printed) => {
    expect(identifierAsPrinted(read)).toBe(printed);
  });

  it('reads a Dutch order reference whose O was read as a zero', () => {
    const { fields } = extractInvoiceFields(
      page(line(100, phrase(50, 'Uw referentie: P0-48207'))),
      { lineItems: { cells: [], lineAmounts: [] }, language: 'nl' },
    );
    expect(fields.purchaseOrder?.value).toBe('PO-48207');
  });
});

describe('tax ids as OCR spaces them', () => {
  it.each<[string, string, string]>([
    ['nl', 'BTW-nummer: BE0403. 170. 701', 'BE0403.170.701'],
    ['es', 'N..I.F.: ESB12345674', 'ESB12345674'],
  ])('%s: %s → %s', (language, text, id) => {
    const { fields } = extractInvoiceFields(page(line(100, phrase(50, text))), {
      lineItems: { cells: [], lineAmounts: [] },
      language,
    });
    expect(fields.vendorTaxId?.value).toBe(id);
  });
});

describe("the issuer's tax id against its country's check digits", () => {
  const read = (language: string, ...texts: string[]) =>
    extractInvoiceFields(
      page(...texts.map((text, index) => line(100 + 60 * index, phrase(50, text)))),
      {
        lineItems: { cells: [], lineAmounts: [] },
        language,
      },
    ).fields.vendorTaxId;

  it.each<[string, string, string]>([
    ['en', 'VAT Reg No: GB 980 7806 84', 'GB 980 7806 84'],
    ['en', 'GSTIN: 27AAPFU0939F1ZV', '27AAPFU0939F1ZV'],
    ['de', 'USt-IdNr.: DE136695976', 'DE136695976'],
    ['fr', 'N° TVA : FR 40 303265045', 'FR 40 303265045'],
    ['nl', 'BTW-nummer: NL004495445B01', 'NL004495445B01'],
    ['es', 'NIF: B12345674', 'B12345674'],
    ['it', 'P.IVA: 00743110157', '00743110157'],
    // A speck before the id, read as a bracket or a quote.
    ['it', 'P.IVA [IT00743110157', 'IT00743110157'],
    ['de', 'USt-IdNr. ‘DE136695976', 'DE136695976'],
  ])('%s: keeps a valid id at its read confidence (%s)', (language, text, id) => {
    expect(read(language, text)).toMatchObject({ value: id, confidence: 0.9 });
  });

  it.each<[string, string, string]>([
    ['en', 'VAT No: GB980780680', 'GB980780680'],
    ['de', 'USt-IdNr.: DE136695977', 'DE136695977'],
    ['fr', 'N° TVA : FR41303265045', 'FR41303265045'],
    ['nl', 'BTW-nummer: BE0403.170.702', 'BE0403.170.702'],
    ['es', 'CIF: ESB12345670', 'ESB12345670'],
    // A P.IVA with one digit misread for another: reported as read, but never confidently.
    ['it', 'P.IVA: IT00743110159', 'IT00743110159'],
  ])(
    '%s: an id that fails its check digits keeps half its confidence (%s)',
    (language, text, id) => {
      expect(read(language, text)).toMatchObject({ value: id, confidence: 0.45 });
    },
  );

  it.each<[string, string, string]>([
    ['de', 'USt-IdNr.: DE13669S976', 'DE136695976'],
    ['de', 'UID-Nr.: ATUI3585627', 'ATU13585627'],
    ['nl', 'BTW-nummer: NL0O4495445B01', 'NL004495445B01'],
    ['it', 'Partita IVA: 0074311O157', '00743110157'],
    ['en', 'VAT No: GB900780684', 'GB980780684'],
  ])('%s: repairs one look-alike misread below 0.9 (%s → %s)', (language, text, id) => {
    expect(read(language, text)).toMatchObject({ value: id, confidence: 0.8 });
  });

  it('trusts a repaired id fully when the page prints it a second time', () => {
    const field = read('it', 'P.IVA: IT0O743110157', 'Rossi Forniture S.r.l. · IT00743110157');
    expect(field).toMatchObject({ value: 'IT00743110157', confidence: 0.9 });
  });
});

describe('header values OCR misread by one look-alike character', () => {
  const fields = (language: string, ...lines: RecognizedLine[]) =>
    extractInvoiceFields(page(...lines), { lineItems: { cells: [], lineAmounts: [] }, language })
      .fields;

  it('nl: reads an invoice date whose year 2025 was read as 2925, below 0.9', () => {
    const read = fields(
      'nl',
      line(100, [
        ...phrase(50, 'Factuurnr.:'),
        ...phrase(250, 'Datum:'),
        ...phrase(450, 'Vervaldatum:'),
      ]),
      line(130, [
        ...phrase(50, 'INV81316'),
        ...phrase(250, '20-09-2925'),
        ...phrase(450, '19-11-2025'),
      ]),
    );
    expect(summary(read)).toMatchObject({
      // Values under their labels: 0.9 × RULE_WEIGHTS.below; the repaired year caps at 0.8.
      invoiceNumber: ['INV81316', 0.81],
      invoiceDate: ['2025-09-20', 0.8],
      dueDate: ['2025-11-19', 0.81],
    });
  });

  it('es: reads a due date whose year 2024 was read as 2824, below 0.9', () => {
    const read = fields(
      'es',
      line(100, phrase(50, 'Fecha de factura: 11/12/2024')),
      line(130, phrase(50, 'Fecha de pago: 25/12/2824')),
    );
    expect(summary(read)).toMatchObject({
      invoiceDate: ['2024-12-11', 0.9],
      dueDate: ['2024-12-25', 0.8],
    });
  });

  it('en: reads the number after a speck between "Invoice" and "#"', () => {
    const read = fields('en', line(100, phrase(50, 'Invoice i # 043/2024')));
    expect(summary(read)).toMatchObject({ invoiceNumber: ['043/2024', 0.9] });
  });

  it('fr: reads the order number under "Bon de conmande" (OCR nm for mm)', () => {
    const read = fields(
      'fr',
      line(100, [...phrase(50, 'N° de facture :'), ...phrase(450, 'Bon de conmande :')]),
      line(130, [...phrase(50, 'INV76453'), ...phrase(450, 'B1207')]),
    );
    expect(summary(read)).toMatchObject({
      invoiceNumber: ['INV76453', 0.81],
      purchaseOrder: ['B1207', 0.81],
    });
  });
});

describe('a row of labels whose values OCR read as one segment', () => {
  it('fr: reads under each label the value that starts under it', () => {
    const { fields } = extractInvoiceFields(
      page(
        line(100, [
          ['N°', 50, 20],
          ['de', 75, 20],
          ['facture', 100, 50],
          [':', 155, 5],
          ['Date', 175, 35],
          [':', 215, 5],
          ['Date', 330, 35],
          ["d'échéance", 370, 75],
          [':', 450, 5],
          ['Bon', 530, 30],
          ['de', 565, 20],
          ['conmande', 590, 70],
          [':', 665, 5],
        ]),
        // Gaps under three word heights: one segment.
        line(130, [
          ['INV76453', 50, 70],
          ['16', 175, 15],
          ['décembre', 195, 60],
          ['2024', 260, 35],
          ['15', 330, 15],
          ['janvier', 350, 50],
          ['2025', 405, 35],
          ['B1207', 490, 45],
        ]),
      ),
      { lineItems: { cells: [], lineAmounts: [] }, language: 'fr' },
    );
    expect(summary(fields)).toMatchObject({
      invoiceNumber: ['INV76453', 0.81],
      invoiceDate: ['2024-12-16', 0.81],
      dueDate: ['2025-01-15', 0.81],
      purchaseOrder: ['B1207', 0.81],
    });
  });
});
