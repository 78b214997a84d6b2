import type { ArgumentMetadata } from '@nestjs/common';
import { AppError } from '../http/app-error.js';
import { ErrorCode } from '../http/error-code.js';
import { ParseObjectIdPipe, isObjectIdString } from './parse-object-id.pipe.js';

const PARAM: ArgumentMetadata = { type: 'param', data: 'id' };

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('ParseObjectIdPipe', () => {
  const pipe = new ParseObjectIdPipe();

  it.each<[string, string]>([
    ['507f1f77bcf86cd799439011', '507f1f77bcf86cd799439011'],
    ['507F1F77BCF86CD799439011', '507f1f77bcf86cd799439011'],
    ['507f1F77bCf86cd799439011', '507f1f77bcf86cd799439011'],
    ['000000000000000000000000', '000000000000000000000000'],
  ])('accepts %s as %s', (value, expected) => {
    expect(pipe.transform(value, PARAM)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['23 hex characters', '507f1f77bcf86cd79943901'],
    ['25 hex characters', '507f1f77bcf86cd7994390111'],
    ['a non-hex character', '507f1f77bcf86cd79943901g'],
    ['a trailing newline', '507f1f77bcf86cd799439011\n'],
    ['surrounding spaces', ' 507f1f77bcf86cd799439011 '],
    ['a number', 507],
    ['undefined', undefined],
    ['an array', ['507f1f77bcf86cd799439011']],
  ])('rejects %s with INVALID_ID naming the parameter', (_label, value) => {
    const error = thrownBy(() => pipe.transform(value, { type: 'param', data: 'jobId' }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: ErrorCode.INVALID_ID,
      message: 'jobId must be a 24-character hex ObjectId',
      details: [{ field: 'jobId', message: 'jobId must be a 24-character hex ObjectId' }],
    });
  });

  it('names the field "id" when the metadata has no parameter name', () => {
    const error = thrownBy(() => pipe.transform('nope', { type: 'param' }));
    expect((error as AppError).details).toStrictEqual([
      { field: 'id', message: 'id must be a 24-character hex ObjectId' },
    ]);
  });

  it('does not echo the rejected value', () => {
    const error = thrownBy(() => pipe.transform('not-an-id-<script>', PARAM)) as AppError;
    expect(JSON.stringify([error.message, error.details])).not.toContain('<script>');
  });
});

describe('isObjectIdString', () => {
  it('accepts 24 hex characters only', () => {
    expect(isObjectIdString('507f1f77bcf86cd799439011')).toBe(true);
    expect(isObjectIdString('507f1f77bcf86cd79943901z')).toBe(false);
    expect(isObjectIdString(null)).toBe(false);
  });
});
