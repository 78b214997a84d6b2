import fc from 'fast-check';
import {
  fieldValueProblem,
  isAmount,
  isCalendarDate,
  parseFieldCorrections,
} from './field-values.js';

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2026-12-31', '0001-01-01', '2026-01-01'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    '2025-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '0000-01-01',
    '2026-1-01',
    '26-01-01',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '',
  ])('refuses %s', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('agrees with the calendar for every day of 2023 and 2024', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2023, max: 2024 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
          expect(isCalendarDate(text)).toBe(day <= daysInMonth);
        },
      ),
    );
  });
});

describe('isAmount', () => {
  it.each([0, 1, -1, 0.1, 0.05, 1234.5, 1234.56, -99.99, 1e9])('accepts %p', (value) => {
    expect(isAmount(value)).toBe(true);
  });

  it.each([0.001, 1.005, 1e-7, 0.1 + 0.2, NaN, Infinity, -Infinity, 1e13])(
    'refuses %p',
    (value) => {
      expect(isAmount(value)).toBe(false);
    },
  );
});

describe('fieldValueProblem', () => {
  it.each<[Parameters<typeof fieldValueProblem>[0], unknown]>([
    ['currency', 'EUR'],
    ['currency', 'JPY'],
    ['invoiceNumber', 'x'],
    ['vendorName', 'v'.repeat(200)],
    ['totalAmount', 12.3],
    ['dueDate', '2024-02-29'],
  ])('accepts %s = %p', (name, value) => {
    expect(fieldValueProblem(name, value)).toBeUndefined();
  });

  it.each<[Parameters<typeof fieldValueProblem>[0], unknown]>([
    ['currency', 'eur'],
    ['currency', 'XYZ'],
    ['currency', 'DEM'],
    ['invoiceNumber', ''],
    ['invoiceNumber', ' '],
    ['vendorName', 'v'.repeat(201)],
    ['vendorName', 7],
    ['totalAmount', '12.30'],
    ['dueDate', '2025-02-29'],
    ['dueDate', null],
  ])('refuses %s = %p, naming the field but not the value', (name, value) => {
    const problem = fieldValueProblem(name, value);
    expect(problem).toMatch(new RegExp(`^${name} must`));
    if (typeof value === 'string' && value.trim().length > 2) {
      expect(problem).not.toContain(value);
    }
  });
});

describe('parseFieldCorrections', () => {
  it('keeps valid values and nulls', () => {
    expect(parseFieldCorrections({ totalAmount: 10, dueDate: null })).toEqual({
      corrections: { totalAmount: 10, dueDate: null },
    });
  });

  it('names at most three unknown fields, and each invalid one', () => {
    const result = parseFieldCorrections({ a: 1, b: 2, c: 3, d: 4, totalAmount: 'x' });
    expect(result).toEqual({
      problems: [
        { field: 'fields', message: expect.stringMatching(/^unknown field\(s\): a, b, c, …;/) },
        { field: 'fields.totalAmount', message: expect.any(String) },
      ],
    });
  });

  it('refuses an empty map', () => {
    expect(parseFieldCorrections({})).toEqual({
      problems: [{ field: 'fields', message: 'fields must name at least one field' }],
    });
  });
});
