/**
 * Which of the supported languages a page is written in, from its words: stop words and the
 * vocabulary invoices print (labels, column headers, payment terms). Accents are ignored, since a
 * first reading with another language's model often drops them.
 */

/** ISO 639-1 codes of the languages the service reads. */
export const SUPPORTED_LANGUAGES = ['en', 'de', 'fr', 'nl', 'es', 'it'] as const;
export type PageLanguage = (typeof SUPPORTED_LANGUAGES)[number];

/** The tesseract model of each language (from the @tesseract.js-data packages). */
export const TESSERACT_MODELS: Readonly<Record<PageLanguage, string>> = {
  en: 'eng',
  de: 'deu',
  fr: 'fra',
  nl: 'nld',
  es: 'spa',
  it: 'ita',
};

const WORDS: Readonly<Record<PageLanguage, string>> = {
  en: 'the and of to for with your you our please thank invoice bill date due total subtotal tax amount description quantity qty price rate unit payment terms days net number order customer paid balance receipt credit note page',
  de: 'und der die das den dem des für mit von zu ihr ihre ihren wir vielen dank rechnung datum fällig zahlbar bis betrag summe gesamt gesamtbetrag netto brutto menge anzahl preis einzelpreis bezeichnung beschreibung artikel leistung zahlung tage ohne abzug kunde seite mwst ust zzgl bestellung',
  fr: 'le la les de du des et pour avec votre vos nous merci facture date échéance total montant prix unitaire quantité qté désignation libellé paiement jours client page sur tva ht ttc net payer commande avoir reçu règlement',
  nl: 'de het een en van voor met uw wij bedankt factuur datum vervaldatum totaal bedrag prijs aantal omschrijving artikel betaling binnen dagen klant pagina btw excl incl te betalen bestelling',
  es: 'el la los las de del y para con su sus gracias factura fecha vencimiento total importe precio cantidad descripción concepto artículo pago días cliente página iva base imponible pedido forma transferencia',
  it: 'il lo la le di del della e per con vs grazie fattura data scadenza totale importo prezzo quantità descrizione articolo pagamento giorni cliente pagina iva imponibile ordine spett',
};

const strip = (word: string): string => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const LEXICON: ReadonlyMap<PageLanguage, ReadonlySet<string>> = new Map(
  SUPPORTED_LANGUAGES.map((language) => [language, new Set(WORDS[language].split(' ').map(strip))]),
);

export interface LanguageGuess {
  language: PageLanguage;
  /** The winner's share of all matched words, in [0, 1]. */
  confidence: number;
}

/**
 * The language among `enabled` whose words the text uses most; undefined when the text has
 * none of them (figures only, or too little text).
 */
export function detectLanguage(
  text: string,
  enabled: readonly PageLanguage[] = SUPPORTED_LANGUAGES,
): LanguageGuess | undefined {
  const words = (text.match(/\p{L}+/gu) ?? []).map(strip);
  const scores = enabled.map((language) => {
    const lexicon = LEXICON.get(language) as ReadonlySet<string>;
    return { language, score: words.filter((word) => lexicon.has(word)).length };
  });
  const total = scores.reduce((sum, entry) => sum + entry.score, 0);
  const best = scores.sort((a, b) => b.score - a.score)[0];
  if (best === undefined || best.score < 2) {
    return undefined;
  }
  return { language: best.language, confidence: Math.round((best.score / total) * 1000) / 1000 };
}
