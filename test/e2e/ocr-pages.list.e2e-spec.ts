import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, type Client } from '../support/http.js';
import { buildCreatePageDto, objectId, PAGES } from '../support/fixtures/pages.js';

describe('GET /api/v1/ocr-invoice-job-pages', () => {
  let testApp: TestApp;
  let api: Client;
  const ids: string[] = [];

  beforeAll(async () => {
    testApp = await createTestApp();
    api = client(testApp.baseUrl);
    // Seven pages in creation order; pageNumbers repeat so that sorting by them has ties.
    const pageNumbers = [3, 1, 2, 1, 3, 2, 1];
    for (const pageNumber of pageNumbers) {
      const res = await api.post(PAGES, buildCreatePageDto({ pageNumber, job: objectId() }));
      ids.push(res.body.data._id);
    }
  });

  afterAll(async () => {
    await testApp.close();
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

  it.each([
    'pageNumber',
    'status',
    'pageType',
    'createdAt',
    'updatedAt',
    'startedAt',
    'completedAt',
    'processingTime',
    'qualityScore',
    'retryCount',
    'ocrResults.confidence',
    'job',
  ])('accepts sort=%s', async (sort) => {
    const res = await api.get(`${PAGES}?sort=${sort}&order=asc&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(7);
  });
});
