import type { ConsistencyCheck, ExtractedFields } from '../processing.types.js';
import { applyCheckPenalties, runConsistencyChecks } from './consistency.js';

const field = (value: string | number, confidence = 0.9) => ({ value, confidence });

describe('runConsistencyChecks', () => {
  it.each<[string, ExtractedFields, number[] | undefined, ConsistencyCheck[]]>([
    ['no inputs', {}, undefined, []],
    [
      'subtotal + tax = total',
      { subtotal: field(1234.56), taxAmount: field(123.45), totalAmount: field(1358.01) },
      undefined,
      [
        {
          name: 'subtotalPlusTaxEqualsTotal',
          passed: true,
          detail: '1234.56 + 123.45 = 1358.01',
          fields: [],
        },
      ],
    ],
    [
      'a one-cent rounding difference passes',
      { subtotal: field(10), taxAmount: field(1.99), totalAmount: field(12) },
      undefined,
      [
        {
          name: 'subtotalPlusTaxEqualsTotal',
          passed: true,
          detail: '10.00 + 1.99 = 11.99',
          fields: [],
        },
      ],
    ],
    [
      'floating point sums compare exactly (0.1 + 0.2)',
      { subtotal: field(0.1), taxAmount: field(0.2), totalAmount: field(0.3) },
      undefined,
      [
        {
          name: 'subtotalPlusTaxEqualsTotal',
          passed: true,
          detail: '0.10 + 0.20 = 0.30',
          fields: [],
        },
      ],
    ],
    [
      'a wrong total',
      { subtotal: field(1234.56), taxAmount: field(123.45), totalAmount: field(1358.1) },
      undefined,
      [
        {
          name: 'subtotalPlusTaxEqualsTotal',
          passed: false,
          detail: '1234.56 + 123.45 = 1358.01 ≠ 1358.10',
          fields: ['subtotal', 'taxAmount', 'totalAmount'],
        },
      ],
    ],
    [
      'no tax: the total check is omitted',
      { subtotal: field(10), totalAmount: field(10) },
      undefined,
      [],
    ],
    [
      'line amounts sum to the subtotal',
      { subtotal: field(350) },
      [100, 250],
      [
        {
          name: 'lineAmountsSumToSubtotal',
          passed: true,
          detail: '100.00 + 250.00 = 350.00',
          fields: [],
        },
      ],
    ],
    [
      'line amounts that do not',
      { subtotal: field(350) },
      [100, 200],
      [
        {
          name: 'lineAmountsSumToSubtotal',
          passed: false,
          detail: '100.00 + 200.00 = 300.00 ≠ 350.00',
          fields: ['subtotal'],
        },
      ],
    ],
    ['no line amounts', { subtotal: field(350) }, [], []],
    ['line amounts without a subtotal', { totalAmount: field(350) }, [350], []],
    [
      'due on the invoice date',
      { invoiceDate: field('2024-03-15'), dueDate: field('2024-03-15') },
      undefined,
      [
        {
          name: 'dueDateNotBeforeInvoiceDate',
          passed: true,
          detail: '2024-03-15 ≥ 2024-03-15',
          fields: [],
        },
      ],
    ],
    [
      'due before issued',
      { invoiceDate: field('2024-03-15'), dueDate: field('2024-02-14') },
      undefined,
      [
        {
          name: 'dueDateNotBeforeInvoiceDate',
          passed: false,
          detail: '2024-02-14 < 2024-03-15',
          fields: ['invoiceDate', 'dueDate'],
        },
      ],
    ],
    ['only one date', { invoiceDate: field('2024-03-15') }, undefined, []],
    // A field of the wrong type is treated as missing rather than coerced.
    [
      'a non-numeric total',
      { subtotal: field(1), taxAmount: field(1), totalAmount: field('2') },
      undefined,
      [],
    ],
  ])('%s', (_name, fields, lineAmounts, expected) => {
    expect(runConsistencyChecks(fields, lineAmounts)).toEqual(expected);
  });
});

describe('applyCheckPenalties', () => {
  const failed = (fields: ConsistencyCheck['fields']): ConsistencyCheck => ({
    name: 'subtotalPlusTaxEqualsTotal',
    passed: false,
    detail: '',
    fields,
  });

  it.each<[string, ConsistencyCheck[], ExtractedFields]>([
    ['no checks', [], { subtotal: field(1, 0.9), totalAmount: field(2, 0.8) }],
    [
      'a passed check',
      [{ name: 'subtotalPlusTaxEqualsTotal', passed: true, detail: '', fields: [] }],
      { subtotal: field(1, 0.9), totalAmount: field(2, 0.8) },
    ],
    [
      'one failure',
      [failed(['subtotal'])],
      { subtotal: field(1, 0.45), totalAmount: field(2, 0.8) },
    ],
    [
      'two failures',
      [failed(['subtotal', 'totalAmount']), failed(['subtotal'])],
      { subtotal: field(1, 0.225), totalAmount: field(2, 0.4) },
    ],
    [
      'a failure naming a missing field',
      [failed(['taxAmount'])],
      { subtotal: field(1, 0.9), totalAmount: field(2, 0.8) },
    ],
  ])('%s', (_name, checks, expected) => {
    const fields: ExtractedFields = { subtotal: field(1, 0.9), totalAmount: field(2, 0.8) };

    expect(applyCheckPenalties(fields, checks)).toEqual(expected);
    // The input is not mutated.
    expect(fields).toEqual({ subtotal: field(1, 0.9), totalAmount: field(2, 0.8) });
  });
});
