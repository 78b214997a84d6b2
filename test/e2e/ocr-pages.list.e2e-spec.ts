import { useTestApp } from '../support/test-app.js';
import { Types } from 'mongoose';
import {
  buildCreatePageDto,
  buildStoredPage,
  objectId,
  OCR_PAGES_COLLECTION,
  PAGES,
} from '../support/fixtures/pages.js';

describe('GET /api/v1/ocr-invoice-job-pages', () => {
  const { api } = useTestApp();
  const ids: string[] = [];

  beforeAll(async () => {
    // Seven pages in creation order; pageNumbers repeat so that sorting by them has ties.
    const pageNumbers = [3, 1, 2, 1, 3, 2, 1];
    for (const pageNumber of pageNumbers) {
      const res = await api.post(PAGES, buildCreatePageDto({ pageNumber, job: objectId() }));
      ids.push(res.body.data._id);
    }
  });

  it('returns the envelope with every page, newest first by default, and the total', async () => {
    const res = await api.get(PAGES);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.total).toBe(7);
    expect(res.body.data.map((p: { _id: string }) => p._id)).toEqual([...ids].reverse());
    expect(res.body.data[0]).not.toHaveProperty('__v');
    expect(res.body.data[0]).not.toHaveProperty('revision');
  });

  it('windows with limit and offset while total stays the full count', async () => {
    const res = await api.get(`${PAGES}?limit=2&offset=1&order=asc`);
    expect(res.body.total).toBe(7);
    expect(res.body.data.map((p: { _id: string }) => p._id)).toEqual(ids.slice(1, 3));
  });

  it('returns an empty page past the end', async () => {
    const res = await api.get(`${PAGES}?offset=100`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: [], total: 7 });
  });

  it.each(['asc', 'desc'] as const)(
    'sorts by pageNumber %s with ties broken on _id, so paging sees every page once',
    async (order) => {
      const seen: Array<{ _id: string; pageNumber: number }> = [];
      for (let offset = 0; offset < 7; offset += 2) {
        const res = await api.get(
          `${PAGES}?sort=pageNumber&order=${order}&limit=2&offset=${offset}`,
        );
        seen.push(...res.body.data);
      }
      expect(seen.map((p) => p._id).sort()).toEqual([...ids].sort());
      const expected = [...seen].sort((a, b) => {
        const byNumber = a.pageNumber - b.pageNumber || (a._id < b._id ? -1 : 1);
        return order === 'asc' ? byNumber : -byNumber;
      });
      expect(seen).toEqual(expected);
    },
  );
});

describe('GET /api/v1/ocr-invoice-job-pages sorted by each sortable field', () => {
  const { testApp, api } = useTestApp();
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute));
  const jobId = (last: string) => new Types.ObjectId(`60f7b1b3e4b0e8b3f8b3f8b${last}`);
  // Three pages whose values differ in every sortable field, each field ordering them differently.
  const SEED = {
    a: {
      pageNumber: 2,
      status: 'failed',
      pageType: 'summary',
      createdAt: at(3),
      updatedAt: at(1),
      startedAt: at(2),
      completedAt: at(3),
      processingTime: 100,
      qualityScore: 0.9,
      retryCount: 1,
      confidence: 0.2,
      job: jobId('3'),
    },
    b: {
      pageNumber: 3,
      status: 'completed',
      pageType: 'cover',
      createdAt: at(1),
      updatedAt: at(2),
      startedAt: at(3),
      completedAt: at(2),
      processingTime: 300,
      qualityScore: 0.1,
      retryCount: 0,
      confidence: 0.8,
      job: jobId('1'),
    },
    c: {
      pageNumber: 1,
      status: 'pending',
      pageType: 'header',
      createdAt: at(2),
      updatedAt: at(3),
      startedAt: at(1),
      completedAt: at(1),
      processingTime: 200,
      qualityScore: 0.5,
      retryCount: 2,
      confidence: 0.5,
      job: jobId('2'),
    },
  } as const;

  beforeAll(async () => {
    await testApp.connection.collection(OCR_PAGES_COLLECTION).insertMany(
      Object.entries(SEED).map(([name, { confidence, ...page }]) =>
        buildStoredPage({
          ...page,
          ocrResults: { text: '', confidence, words: [], blocks: [] },
          metadata: { name },
        }),
      ),
    );
  });

  it.each([
    ['pageNumber', ['c', 'a', 'b']],
    ['status', ['b', 'a', 'c']],
    ['pageType', ['b', 'c', 'a']],
    ['createdAt', ['b', 'c', 'a']],
    ['updatedAt', ['a', 'b', 'c']],
    ['startedAt', ['c', 'a', 'b']],
    ['completedAt', ['c', 'b', 'a']],
    ['processingTime', ['a', 'c', 'b']],
    ['qualityScore', ['b', 'c', 'a']],
    ['retryCount', ['b', 'a', 'c']],
    ['ocrResults.confidence', ['a', 'c', 'b']],
    ['job', ['b', 'c', 'a']],
  ])('sorts by %s in both orders', async (sort, ascending) => {
    const names = async (order: string) => {
      const res = await api.get(`${PAGES}?sort=${sort}&order=${order}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(3);
      return res.body.data.map((page: { metadata: { name: string } }) => page.metadata.name);
    };
    expect(await names('asc')).toEqual(ascending);
    expect(await names('desc')).toEqual([...ascending].reverse());
  });
});
