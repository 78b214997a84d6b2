import { line, page, phrase } from './extract.testing.js';
import { canonicalLegalForm, isDocumentTitle, LEGAL_FORM, stripTitle, tidyName } from './issuer.js';
import { extractInvoiceFields } from './invoice-fields.js';

const vendorOf = (...lines: Parameters<typeof page>): string | number | undefined =>
  extractInvoiceFields(page(...lines), { lineItems: { cells: [], lineAmounts: [] } }).fields
    .vendorName?.value;

describe('issuer rules', () => {
  it.each([
    'INVOICE',
    'Tax Invoice',
    'PAYMENT RECEIPT',
    'FACTUUR',
    'Rechnung',
    'Facture',
    'FACTURA RECTIFICATIVA',
    'Fattura',
    'Credit Note',
    // A letter-spaced heading as OCR reads it.
    'FAC TURA',
    'R E C H N U N G',
  ])('%s is a document title, never a name', (title) => {
    expect(isDocumentTitle(title)).toBe(true);
  });

  it.each(['Acme Design Studio', 'Billund Invoicing ApS', 'Factura Digital S.L.'])(
    '%s is not a title',
    (name) => {
      expect(isDocumentTitle(name)).toBe(false);
    },
  );

  it('strips a title glued to a name', () => {
    expect(stripTitle('ACME LTD INVOICE')).toBe('ACME LTD');
    expect(stripTitle('Factuur Brouwerij Schelde NV')).toBe('Brouwerij Schelde NV');
  });

  it.each([
    ['Studio Bianchi S.r.].s.', 'Studio Bianchi S.r.l.s.'],
    ['Rossi Forniture S.r.1.', 'Rossi Forniture S.r.l.'],
    ['Bakkerij De Molen V.0.F.', 'Bakkerij De Molen V.O.F.'],
    ['Wisła Logistics Sp. z o.0.', 'Wisła Logistics Sp. z o.o.'],
    ['Distribuciones García $.A.', 'Distribuciones García S.A.'],
    ['Helios Software GmbH', 'Helios Software GmbH'],
  ])('reads the legal form of %s as printed: %s', (read, printed) => {
    expect(canonicalLegalForm(read)).toBe(printed);
    expect(LEGAL_FORM.test(canonicalLegalForm(read))).toBe(true);
  });
});

describe('vendor scoring (no vendor label)', () => {
  it('takes the large heading at the top over a small line with a legal form below the customer label', () => {
    const heading = line(40, phrase(50, 'Bluewater Logistics'));
    heading.words.forEach((word) => (word.box.height = 40));
    expect(
      vendorOf(
        heading,
        line(100, phrase(50, '12 Harbour Road')),
        line(160, phrase(50, 'Bill To:')),
        line(190, phrase(50, 'Contoso Retail Ltd')),
        line(220, phrase(50, '42 Market Street')),
      ),
    ).toBe('Bluewater Logistics');
  });

  it('never takes the bill-to party, even with a legal form', () => {
    expect(
      vendorOf(
        line(40, phrase(600, 'INVOICE')),
        line(100, phrase(50, 'Invoice to:')),
        line(130, phrase(50, 'Contoso Retail Ltd')),
        line(160, phrase(50, '42 Market Street')),
        line(700, phrase(50, 'Northwind Traders Ltd · 1 High Street · London')),
      ),
    ).toBe('Northwind Traders Ltd');
  });

  it("finds the issuer in the footer's legal line, also when OCR reads its dots as dashes", () => {
    expect(
      vendorOf(
        line(40, phrase(600, 'RECHNUNG')),
        line(100, phrase(50, 'Rechnungsnummer: 2024-17')),
        line(700, phrase(50, 'Donau IT-Service GmbH - Herrengasse 49 - 1010 Wien')),
        line(730, phrase(50, 'IBAN AT01 5358 1170 5244 9032')),
      ),
    ).toBe('Donau IT-Service GmbH');
  });

  it('takes the whole name from the legal line when the heading wraps it over two lines', () => {
    const heading = [
      line(40, phrase(50, 'Schneider Elektrotechnik GmbH &')),
      line(85, phrase(50, 'Co. KG')),
    ];
    heading.forEach((wrapped) => wrapped.words.forEach((word) => (word.box.height = 40)));
    expect(
      vendorOf(
        ...heading,
        line(140, phrase(50, 'Lindenallee 62')),
        line(170, phrase(50, '80331 München')),
        line(400, phrase(50, 'Rechnungsempfänger:')),
        line(430, phrase(50, 'Dr. Anna Schmidt')),
        line(1500, phrase(50, 'Schneider Elektrotechnik GmbH & Co. KG · schneider-elektro.de')),
      ),
    ).toBe('Schneider Elektrotechnik GmbH & Co. KG');
  });

  it.each([
    ['left-aligned in a sidebar', ['Ganga', 'Traders LLP'], 'Ganga Traders LLP'],
    ['broken after a hyphen', ['Donau IT-', 'Service GmbH'], 'Donau IT-Service GmbH'],
    [
      'after an ampersand',
      ['Schneider Elektrotechnik GmbH &', 'Co. KG'],
      'Schneider Elektrotechnik GmbH & Co. KG',
    ],
  ])('reads a heading wrapped over two lines (%s) as one name', (_, [first, second], name) => {
    const heading = [line(60, phrase(40, first)), line(92, phrase(40, second))];
    heading.forEach((wrapped) => wrapped.words.forEach((word) => (word.box.height = 28)));
    expect(
      vendorOf(
        ...heading,
        line(140, phrase(40, 'Herrengasse 228')),
        line(165, phrase(40, '1010 Wien')),
        line(300, phrase(400, 'Rechnung an:')),
        line(325, phrase(400, 'Grazer Bau AG')),
      ),
    ).toBe(name);
  });

  it('does not join a heading to the large line of another block below it', () => {
    const lines = [
      line(40, phrase(50, 'Bluewater Logistics')),
      line(130, phrase(50, 'Harbour Ltd')),
    ];
    lines.forEach((big) => big.words.forEach((word) => (word.box.height = 40)));
    expect(vendorOf(...lines)).not.toBe('Bluewater Logistics Harbour Ltd');
  });

  it('takes a name as written when the letterhead sets it in capitals and the legal line does not', () => {
    const heading = line(40, phrase(200, 'BUREAU VALLÉE CONSEIL SAS'));
    heading.words.forEach((word) => (word.box.height = 40));
    expect(
      vendorOf(
        heading,
        line(100, phrase(200, '12 rue de la Paix · 75002 Paris')),
        line(
          1500,
          phrase(50, 'Bureau Vallée Conseil SAS · bureau-vallee.fr · IBAN FR76 3000 6000'),
        ),
      ),
    ).toBe('Bureau Vallée Conseil SAS');
  });

  it('never returns a document title, however large', () => {
    const title = line(40, [
      ['FAC', 600, 60],
      ['TURA', 680, 80],
    ]);
    title.words.forEach((word) => (word.box.height = 40));
    expect(
      vendorOf(
        title,
        line(100, phrase(50, 'Hostal La Brisa S.L.U.')),
        line(130, phrase(50, 'Calle Mayor 5, Madrid')),
      ),
    ).toBe('Hostal La Brisa S.L.U.');
  });

  it('drops the quotes and dashes OCR leaves around a name', () => {
    expect(vendorOf(line(40, phrase(50, '‘Rossi Forniture S.r.]. -')))).toBe(
      'Rossi Forniture S.r.l.',
    );
  });

  it("reads the bill-to party's legal form as printed too", () => {
    const { fields } = extractInvoiceFields(
      page(line(100, phrase(50, 'Billed to')), line(130, phrase(50, 'Contoso Polska Sp. z o.0.'))),
      { lineItems: { cells: [], lineAmounts: [] } },
    );
    expect(fields.customerName?.value).toBe('Contoso Polska Sp. z o.o.');
  });
});

describe('names as OCR reads them', () => {
  it.each([
    ['Stadtwerke Nordheim , GmbH', 'Stadtwerke Nordheim GmbH'],
    ['Boulangerie ; Petit ; Jean', 'Boulangerie Petit Jean'],
    ['Bakkerij De Molen _ V.0.F.', 'Bakkerij De Molen V.O.F.'],
    ['Smith, Jones & Co Ltd', 'Smith, Jones & Co Ltd'],
  ])('%s → %s', (read, printed) => {
    expect(tidyName(read)).toBe(printed);
  });

  it('looks under a German seller label followed only by OCR dust (`Verkäufer: Ve`)', () => {
    expect(
      vendorOf(
        line(40, phrase(50, 'Rechnung')),
        line(80, [...phrase(50, 'Verkäufer: Ve'), ...phrase(600, 'Kunde:')]),
        line(110, [...phrase(50, 'Rheinland Logistik AG'), ...phrase(600, 'Kaufhaus Sommer GmbH')]),
      ),
    ).toBe('Rheinland Logistik AG');
  });

  it('takes the Spanish issuer from a footer whose middle dot OCR read as "+"', () => {
    expect(
      vendorOf(
        line(40, phrase(50, 'FACTURA')),
        line(70, phrase(50, 'N* de pedido: 4509302098')),
        line(900, phrase(50, 'Hostal La Brisa S.L.U. + Gran Vía 288 - 41001 Sevilla')),
      ),
    ).toBe('Hostal La Brisa S.L.U.');
  });

  it('never takes a scrap of two-letter words (`N* de`) for the issuer', () => {
    expect(vendorOf(line(40, phrase(50, 'N* de')), line(70, phrase(50, 'Fecha: 11/12/2024')))).toBe(
      undefined,
    );
  });
});
