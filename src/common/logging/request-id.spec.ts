import { isValidRequestId, requestIdFor } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it.each([
    'a',
    'abc-123',
    '0f8fad5b-d9cb-469f-a165-70867728950e',
    'svc.gateway:1234_x-y',
    'x'.repeat(128),
  ])('keeps the well-formed id %p', (id) => {
    expect(isValidRequestId(id)).toBe(true);
    expect(requestIdFor({ headers: { 'x-request-id': id } })).toBe(id);
  });

  it.each<[string, string | string[] | undefined]>([
    ['no header', undefined],
    ['an empty header', ''],
    ['a space', 'bad id'],
    ['a newline', 'bad\nid'],
    ['129 characters', 'x'.repeat(129)],
    ['markup', '<script>'],
    ['two joined ids', 'one, two'],
    ['non-ASCII letters', 'réqüest'],
    ['a header array', ['a', 'b']],
  ])('generates a UUID for %s', (_label, given) => {
    const id = requestIdFor({ headers: { 'x-request-id': given } });
    expect(id).toMatch(UUID);
    expect(id).not.toBe(given);
  });

  it('generates a new id each time', () => {
    expect(requestIdFor({ headers: {} })).not.toBe(requestIdFor({ headers: {} }));
  });
});
