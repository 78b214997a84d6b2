import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  PaginationQueryDto,
  toQueryInteger,
} from './pagination-query.dto.js';

describe('toQueryInteger', () => {
  it.each<[string, number]>([
    ['10', 10],
    ['-1', -1],
    ['0', 0],
    ['007', 7],
    ['999999999999999', 999_999_999_999_999],
  ])('converts the decimal integer %p to %p', (value, expected) => {
    expect(toQueryInteger({ value })).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['a decimal fraction', '1.5'],
    ['an exponent', '1e3'],
    ['letters', 'abc'],
    ['an empty string', ''],
    ['whitespace around digits', ' 1'],
    ['a plus sign', '+1'],
    ['hexadecimal', '0x10'],
    ['16 digits', '1234567890123456'],
    ['a repeated parameter', ['1', '2']],
    ['a number', 5],
    ['undefined', undefined],
  ])('leaves %s unchanged', (_label, value) => {
    expect(toQueryInteger({ value })).toBe(value);
  });
});

describe('PaginationQueryDto', () => {
  function validate(query: Record<string, unknown>) {
    const dto = plainToInstance(PaginationQueryDto, query);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    return {
      dto,
      failed: Object.fromEntries(
        errors.map((error) => [error.property, Object.keys(error.constraints ?? {}).sort()]),
      ),
    };
  }

  it('defaults to the first page of the default size', () => {
    const { dto, failed } = validate({});
    expect(failed).toStrictEqual({});
    expect(dto.limit).toBe(DEFAULT_PAGE_SIZE);
    expect(dto.limit).toBe(50);
    expect(dto.offset).toBe(0);
  });

  it('converts query strings to integers', () => {
    const { dto, failed } = validate({ limit: '2', offset: '40' });
    expect(failed).toStrictEqual({});
    expect(dto.limit).toBe(2);
    expect(dto.offset).toBe(40);
  });

  it('accepts the bounds 1 and MAX_PAGE_SIZE for limit', () => {
    expect(validate({ limit: '1' }).failed).toStrictEqual({});
    expect(validate({ limit: String(MAX_PAGE_SIZE) }).failed).toStrictEqual({});
  });

  it.each<[Record<string, unknown>, Record<string, string[]>]>([
    [{ limit: '0' }, { limit: ['min'] }],
    [{ limit: '101' }, { limit: ['max'] }],
    [{ limit: '-5' }, { limit: ['min'] }],
    [{ offset: '-1' }, { offset: ['min'] }],
    [{ limit: '1.5' }, { limit: ['isInt', 'max', 'min'] }],
    [{ limit: '1e3' }, { limit: ['isInt', 'max', 'min'] }],
    [{ offset: 'abc' }, { offset: ['isInt', 'min'] }],
    [{ offset: '' }, { offset: ['isInt', 'min'] }],
    [{ limit: ['1', '2'] }, { limit: ['isInt', 'max', 'min'] }],
    [{ page: '2' }, { page: ['whitelistValidation'] }],
  ])('rejects %p', (query, failed) => {
    expect(validate(query).failed).toStrictEqual(failed);
  });
});
