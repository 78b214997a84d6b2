import { detectCurrency, findCurrencyMentions } from './currency.js';

describe('detectCurrency', () => {
  it.each<[string, { code: string; evidence: string } | undefined]>([
    ['Total $1,234.56', { code: 'USD', evidence: '$' }],
    ['Total € 1.234,56', { code: 'EUR', evidence: '€' }],
    ['Total 1.234,56 EUR', { code: 'EUR', evidence: 'EUR' }],
    ['Total £99.00', { code: 'GBP', evidence: '£' }],
    ['Total ¥12,000', { code: 'JPY', evidence: '¥' }],
    ['Total ₹1,200.00', { code: 'INR', evidence: '₹' }],
    ['Razem 1 234,56 zł', { code: 'PLN', evidence: 'zł' }],
    ['Celkem 1 234,56 Kč', { code: 'CZK', evidence: 'Kč' }],
    ['Total CHF 1’250.00', { code: 'CHF', evidence: 'CHF' }],
    ['Amount USD99.00', { code: 'USD', evidence: 'USD' }],
    ['Total US$ 99.00', { code: 'USD', evidence: 'US$' }],
    ['Total C$ 99.00', { code: 'CAD', evidence: 'C$' }],
    // The most frequent currency wins over the first one.
    ['Fee $10.00\nTotal €20.00\nPaid €20.00', { code: 'EUR', evidence: '€' }],
    // A tie goes to the earliest mention.
    ['€ 10,00 then $ 5.00', { code: 'EUR', evidence: '€' }],
    // "$" on a page that names CAD is the Canadian dollar.
    ['All amounts in CAD\nSubtotal $100.00\nTotal $113.00', { code: 'CAD', evidence: 'CAD' }],
    ['Total ¥1,200 (CNY)', { code: 'CNY', evidence: '¥' }],
    // "kr" could be SEK, NOK or DKK: no guess.
    ['Summa 1 234,00 kr', undefined],
    // Codes must stand alone and be upper case.
    ['EUROPE Ltd, eur 12', undefined],
    ['AUDIT services', undefined],
    ['No currency here 12.00', undefined],
    ['', undefined],
  ])('%j → %j', (text, expected) => {
    expect(detectCurrency(text)).toEqual(expected);
  });
});

describe('findCurrencyMentions', () => {
  it.each<[string, { code: string; text: string; start: number; end: number }[]]>([
    [
      '$5 + EUR 3 + 4€',
      [
        { code: 'USD', text: '$', start: 0, end: 1 },
        { code: 'EUR', text: 'EUR', start: 5, end: 8 },
        { code: 'EUR', text: '€', start: 14, end: 15 },
      ],
    ],
    [
      'AU$ 10 and $ 20, AUD',
      [
        { code: 'AUD', text: 'AU$', start: 0, end: 3 },
        { code: 'AUD', text: '$', start: 11, end: 12 },
        { code: 'AUD', text: 'AUD', start: 17, end: 20 },
      ],
    ],
  ])('%j', (text, expected) => {
    expect(findCurrencyMentions(text)).toEqual(expected);
  });
});
