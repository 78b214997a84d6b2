import { IfMatch, etagForRevision } from './etag.js';

describe('etagForRevision', () => {
  it('quotes the revision as a strong tag', () => {
    expect(etagForRevision(0)).toBe('"0"');
    expect(etagForRevision(42)).toBe('"42"');
  });
});

describe('IfMatch.parse', () => {
  /** Which of these tags the parsed header accepts. */
  function accepted(header: string | string[], candidates = ['"1"', '"2"', '"3"']): string[] {
    const ifMatch = IfMatch.parse(header);
    expect(ifMatch).toBeInstanceOf(IfMatch);
    return candidates.filter((tag) => ifMatch!.matches(tag));
  }

  it('returns undefined when there is no header', () => {
    expect(IfMatch.parse(undefined)).toBeUndefined();
  });

  it('matches any tag for "*"', () => {
    expect(accepted('*')).toStrictEqual(['"1"', '"2"', '"3"']);
    expect(accepted('  *  ')).toStrictEqual(['"1"', '"2"', '"3"']);
    expect(accepted(['*'])).toStrictEqual(['"1"', '"2"', '"3"']);
  });

  it('matches exactly the single tag given', () => {
    expect(accepted('"2"')).toStrictEqual(['"2"']);
    expect(accepted(etagForRevision(3))).toStrictEqual(['"3"']);
  });

  it('matches every tag of a comma-separated list, whatever the spacing', () => {
    expect(accepted('"1","3"')).toStrictEqual(['"1"', '"3"']);
    expect(accepted('  "1" ,   "3"  ')).toStrictEqual(['"1"', '"3"']);
  });

  it('never matches a weak tag (strong comparison)', () => {
    expect(accepted('W/"1"')).toStrictEqual([]);
    expect(accepted('W/"1", "2"')).toStrictEqual(['"2"']);
  });

  it.each(['', 'garbage', '1', '"1', '1"', "'1'", '"a b"', '**', ', ,'])(
    'matches nothing for the unparsable header %p',
    (header) => {
      expect(accepted(header)).toStrictEqual([]);
    },
  );

  it('does not treat "*" inside a list as a wildcard', () => {
    expect(accepted('*, "2"')).toStrictEqual(['"2"']);
  });

  it('joins a repeated header (array) into one list', () => {
    expect(accepted(['"1"', '"3"'])).toStrictEqual(['"1"', '"3"']);
    expect(accepted(['"1", "2"', 'W/"3"'])).toStrictEqual(['"1"', '"2"']);
  });
});

describe('IfMatch.revisions', () => {
  it('is undefined for "*" (any revision)', () => {
    expect(IfMatch.parse('*')!.revisions()).toBeUndefined();
  });

  it('lists the revisions of the tags made by etagForRevision', () => {
    expect(IfMatch.parse('"3"')!.revisions()).toStrictEqual([3]);
    expect(IfMatch.parse(['"0"', ' "12" ,"4"'])!.revisions()).toStrictEqual([0, 12, 4]);
  });

  it('ignores weak, non-numeric and unparsable tags', () => {
    expect(IfMatch.parse('W/"1", "abc", "-1", "1.5", "2"')!.revisions()).toStrictEqual([2]);
    expect(IfMatch.parse('garbage')!.revisions()).toStrictEqual([]);
    expect(IfMatch.parse('')!.revisions()).toStrictEqual([]);
  });
});
