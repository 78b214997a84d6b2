import { DocumentCache, documentPageOf } from './document-cache.js';
import type { FetchedPage } from './page-fetcher.js';

const doc = (bytes: number): FetchedPage => ({
  body: Buffer.alloc(bytes),
  contentType: 'application/pdf',
  finalUrl: 'https://files.example.com/doc.pdf',
});

describe('DocumentCache', () => {
  it('downloads a document once for concurrent and later pages, whatever their fragment', async () => {
    const cache = new DocumentCache(1000, 60_000);
    let downloads = 0;
    const download = () => {
      downloads++;
      return Promise.resolve(doc(100));
    };
    const [a, b] = await Promise.all([
      cache.get('https://f.example.com/d.pdf#page=1', download),
      cache.get('https://f.example.com/d.pdf#page=2', download),
    ]);
    await cache.get('https://f.example.com/d.pdf', download);
    expect(downloads).toBe(1);
    expect(a.body).toBe(b.body);
  });

  it('forgets failed downloads, expired documents and the oldest over the size limit', async () => {
    let now = 0;
    const cache = new DocumentCache(250, 1000, () => now);
    let downloads = 0;
    const failing = () => {
      downloads++;
      return Promise.reject(new Error('503'));
    };
    await expect(cache.get('https://f.example.com/x', failing)).rejects.toThrow('503');
    await expect(cache.get('https://f.example.com/x', failing)).rejects.toThrow('503');
    expect(downloads).toBe(2);

    const counted = new Map<string, number>();
    const fetcher = (key: string) => () => {
      counted.set(key, (counted.get(key) ?? 0) + 1);
      return Promise.resolve(doc(100));
    };
    for (const key of ['a', 'b', 'c']) {
      await cache.get(`https://f.example.com/${key}`, fetcher(key));
    }
    // a was dropped for size (300 > 250); b is still here.
    await cache.get('https://f.example.com/b', fetcher('b'));
    await cache.get('https://f.example.com/a', fetcher('a'));
    expect(Object.fromEntries(counted)).toEqual({ a: 2, b: 1, c: 1 });
    now = 2000;
    await cache.get('https://f.example.com/b', fetcher('b'));
    expect(counted.get('b')).toBe(2);
  });
});

describe('documentPageOf', () => {
  it.each([
    ['https://f.example.com/d.pdf#page=3', 3],
    ['https://f.example.com/d.pdf#page=12', 12],
    ['https://f.example.com/d.pdf', undefined],
    ['https://f.example.com/d.pdf#page=0', undefined],
    ['https://f.example.com/d.pdf#page=x', undefined],
    ['https://f.example.com/d.pdf#zoom=2', undefined],
  ])('%s → %s', (url, page) => {
    expect(documentPageOf(url)).toBe(page);
  });
});
