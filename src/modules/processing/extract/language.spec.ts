import { detectLanguage } from './language.js';

describe('detectLanguage', () => {
  it.each([
    [
      'en',
      'INVOICE Invoice No: INV-1 Date: 15 March 2024 Description Qty Unit Price Amount Total due Thank you for your business',
    ],
    [
      'de',
      'RECHNUNG Rechnungsnummer: 42 Datum: 15. März 2024 Bezeichnung Menge Einzelpreis Betrag Gesamtbetrag Vielen Dank für Ihren Auftrag',
    ],
    [
      'fr',
      'FACTURE Facture n° 42 Date : 15 mars 2024 Désignation Qté Prix unitaire Montant Total TTC Merci de votre confiance',
    ],
    [
      'nl',
      'FACTUUR Factuurnummer: 42 Datum: 15 maart 2024 Omschrijving Aantal Prijs Bedrag Totaal incl. btw Bedankt voor uw bestelling',
    ],
    [
      'es',
      'FACTURA Factura n.º 42 Fecha: 15 de marzo de 2024 Descripción Cantidad Precio Importe Total Gracias por su confianza',
    ],
    [
      'it',
      'FATTURA Fattura n. 42 Data: 15 marzo 2024 Descrizione Quantità Prezzo Importo Totale Grazie per la fiducia',
    ],
  ])('recognises %s', (language, text) => {
    expect(detectLanguage(text)?.language).toBe(language);
  });

  it('ignores accents a first reading lost (Quantite, Designation)', () => {
    expect(detectLanguage('Designation Qte Prix unitaire Montant Total TTC')?.language).toBe('fr');
  });

  it('chooses among the enabled languages only', () => {
    expect(detectLanguage('Rechnung Datum Betrag Menge', ['en', 'fr'])).toBeUndefined();
  });

  it('says nothing about figures alone', () => {
    expect(detectLanguage('42 1.234,56 15.03.2024')).toBeUndefined();
  });
});
