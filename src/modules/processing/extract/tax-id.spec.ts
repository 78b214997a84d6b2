import { checkTaxId, timesPrinted } from './tax-id.js';

describe('checkTaxId', () => {
  it.each<[string, string, string | undefined]>([
    ['en', 'GB980780684', undefined],
    ['en', 'GB 980 7806 84', undefined],
    ['en', '27AAPFU0939F1ZV', undefined],
    ['en', 'SE556036079301', undefined],
    ['en', 'PL8567346215', undefined],
    ['de', 'DE136695976', undefined],
    ['de', 'ATU13585627', undefined],
    ['de', 'CHE-116.281.710 MWST', undefined],
    ['de', 'CHE-116.281.710', undefined],
    ['fr', 'FR 40 303265045', undefined],
    ['nl', 'NL004495445B01', undefined],
    ['nl', 'BE0403.170.701', undefined],
    ['es', 'ESB12345674', undefined],
    ['es', 'B12345674', 'es'],
    ['it', 'IT00743110157', undefined],
    ['it', '00743110157', 'it'],
  ])('%s: %s passes its check digits', (_country, id, language) => {
    expect(checkTaxId(id, language)).toEqual({ status: 'valid' });
  });

  it.each<[string, string, string | undefined]>([
    ['en', 'GB980780680', undefined],
    ['de', 'DE136695977', undefined],
    ['de', 'CHE-116.281.711 MWST', undefined],
    ['fr', 'FR41303265045', undefined],
    ['nl', 'BE0403.170.702', undefined],
    ['es', 'ESB12345670', undefined],
    ['it', '00743110150', 'it'],
    // One digit off, and a look-alike digit would pass: with a single check digit that is chance.
    ['it', 'IT00743110159', undefined],
    // A doubled digit is dropped only where two check digits make that evidence.
    ['de', 'DE1366959766', undefined],
  ])('%s: %s fails them, and no single look-alike misread explains it', (_c, id, language) => {
    expect(checkTaxId(id, language)).toEqual({ status: 'invalid' });
  });

  it.each<[string, string, string, string | undefined]>([
    ['a letter O for a zero', 'IT0O743110157', 'IT00743110157', undefined],
    ['a letter S for a five', 'DE13669S976', 'DE136695976', undefined],
    ['a letter I for a one', 'ATUI3585627', 'ATU13585627', undefined],
    ['a letter O for a zero in a BTW id', 'NL0O4495445B01', 'NL004495445B01', undefined],
    ['a letter O for a zero in a GSTIN', '27AAPFUO939F1ZV', '27AAPFU0939F1ZV', undefined],
    ['a letter O in a bare partita IVA', '0074311O157', '00743110157', 'it'],
    [
      'an 8 for a 3 in an id with two check digits',
      'FR 40 308265045',
      'FR 40 303265045',
      undefined,
    ],
    ['a 0 for an 8 in a UK VAT number', 'GB900780684', 'GB980780684', undefined],
    [
      'a digit read twice in an id with two check digits',
      'FR 79 1746267762',
      'FR 79 174626762',
      undefined,
    ],
    ['a 1 for the I of an Italian prefix', '1T00743110157', 'IT00743110157', 'it'],
    ['a 5 for the S of a Swedish prefix', '5E556036079301', 'SE556036079301', 'en'],
  ])('repairs %s: %s → %s', (_what, read, printed, language) => {
    expect(checkTaxId(read, language)).toEqual({ status: 'repaired', value: printed });
  });

  it('restores a prefix only when the id then passes its check digits', () => {
    expect(checkTaxId('1T00743110150', 'it')).toEqual({ status: 'unchecked' });
    expect(checkTaxId('12-3456789', 'en')).toEqual({ status: 'unchecked' });
  });

  it('leaves ids without check digits (a US EIN, an unknown form) unchecked', () => {
    expect(checkTaxId('12-3456789', 'en')).toEqual({ status: 'unchecked' });
    expect(checkTaxId('51 824 753 556', 'en')).toEqual({ status: 'unchecked' });
    // A bare 11-digit number is a partita IVA only on an Italian page.
    expect(checkTaxId('00743110150', 'en')).toEqual({ status: 'unchecked' });
  });

  it('counts the texts that print an id, spaces and dots aside', () => {
    expect(timesPrinted('BE0403.170.701', ['BTW BE 0403 170 701', 'IBAN BE71 0961', 'x'])).toBe(1);
  });
});
