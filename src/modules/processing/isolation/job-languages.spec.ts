import { JobLanguages } from './job-languages.js';

describe('JobLanguages', () => {
  it("gives a job's language back, and nothing for a job it has not seen", () => {
    const languages = new JobLanguages();
    languages.remember('job-a', 'de');
    languages.remember('job-b', 'fr');
    expect(languages.of('job-a')).toBe('de');
    expect(languages.of('job-b')).toBe('fr');
    expect(languages.of('job-c')).toBeUndefined();
  });

  it('keeps the latest language of a job', () => {
    const languages = new JobLanguages();
    languages.remember('job-a', 'de');
    languages.remember('job-a', 'nl');
    expect(languages.of('job-a')).toBe('nl');
  });

  it('forgets the job heard of least recently once full', () => {
    const languages = new JobLanguages(2);
    languages.remember('job-a', 'de');
    languages.remember('job-b', 'fr');
    // job-a is heard of again: job-b is now the oldest.
    languages.remember('job-a', 'de');
    languages.remember('job-c', 'it');
    expect([languages.of('job-a'), languages.of('job-b'), languages.of('job-c')]).toEqual([
      'de',
      undefined,
      'it',
    ]);
  });
});
