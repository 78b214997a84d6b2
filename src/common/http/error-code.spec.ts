import { ErrorCode, HTTP_STATUS_OF, errorCodeForStatus } from './error-code.js';

describe('errorCodeForStatus', () => {
  it.each<[number, ErrorCode]>([
    [400, ErrorCode.VALIDATION_ERROR],
    [401, ErrorCode.UNAUTHORIZED],
    [403, ErrorCode.FORBIDDEN],
    [404, ErrorCode.NOT_FOUND],
    [405, ErrorCode.NOT_FOUND],
    [408, ErrorCode.REQUEST_TIMEOUT],
    [409, ErrorCode.CONFLICT],
    [412, ErrorCode.PRECONDITION_FAILED],
    [413, ErrorCode.PAYLOAD_TOO_LARGE],
    [415, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
    [429, ErrorCode.RATE_LIMITED],
    [503, ErrorCode.UNAVAILABLE],
    // Other client errors are validation errors; anything else is ours.
    [402, ErrorCode.VALIDATION_ERROR],
    [418, ErrorCode.VALIDATION_ERROR],
    [422, ErrorCode.VALIDATION_ERROR],
    [499, ErrorCode.VALIDATION_ERROR],
    [500, ErrorCode.INTERNAL_ERROR],
    [502, ErrorCode.INTERNAL_ERROR],
    [504, ErrorCode.INTERNAL_ERROR],
    [200, ErrorCode.INTERNAL_ERROR],
    [302, ErrorCode.INTERNAL_ERROR],
    [399, ErrorCode.INTERNAL_ERROR],
  ])('maps %i to %s', (status, code) => {
    expect(errorCodeForStatus(status)).toBe(code);
  });

  it.each([400, 401, 403, 404, 408, 409, 412, 413, 415, 429, 503])(
    'round-trips %i through HTTP_STATUS_OF',
    (status) => {
      expect(HTTP_STATUS_OF[errorCodeForStatus(status)]).toBe(status);
    },
  );
});

describe('HTTP_STATUS_OF', () => {
  it('gives every ErrorCode an error status', () => {
    const codes = Object.values(ErrorCode);
    expect(Object.keys(HTTP_STATUS_OF).sort()).toStrictEqual([...codes].sort());
    for (const code of codes) {
      expect(HTTP_STATUS_OF[code]).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS_OF[code]).toBeLessThan(600);
    }
  });

  it.each<[ErrorCode, number]>([
    [ErrorCode.VALIDATION_ERROR, 400],
    [ErrorCode.INVALID_ID, 400],
    [ErrorCode.INVALID_FILTER, 400],
    [ErrorCode.UNAUTHORIZED, 401],
    [ErrorCode.FORBIDDEN, 403],
    [ErrorCode.NOT_FOUND, 404],
    [ErrorCode.CONFLICT, 409],
    [ErrorCode.PRECONDITION_FAILED, 412],
    [ErrorCode.REQUEST_TIMEOUT, 408],
    [ErrorCode.PAYLOAD_TOO_LARGE, 413],
    [ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415],
    [ErrorCode.RATE_LIMITED, 429],
    [ErrorCode.INTERNAL_ERROR, 500],
    [ErrorCode.UNAVAILABLE, 503],
  ])('answers %s with %i', (code, status) => {
    expect(HTTP_STATUS_OF[code]).toBe(status);
  });
});
