import { useTestApp } from '../support/test-app.js';
import { buildCreatePageDto, objectId, PAGES } from '../support/fixtures/pages.js';

describe('OCR pages ETag and If-Match', () => {
  const { api } = useTestApp();

  async function createPage(): Promise<{ id: string; etag: string; page: any }> {
    const res = await api.post(PAGES, buildCreatePageDto());
    return { id: res.body.data._id, etag: res.headers.get('etag')!, page: res.body.data };
  }

  it('changes the ETag on every write and keeps it on reads', async () => {
    const { id, etag } = await createPage();
    expect((await api.get(`${PAGES}/${id}`)).headers.get('etag')).toBe(etag);
    const patched = await api.patch(`${PAGES}/${id}`, { pageType: 'cover' });
    const etag2 = patched.headers.get('etag');
    expect(etag2).not.toBe(etag);
    const put = await api.put(`${PAGES}/${id}`, {
      job: patched.body.data.job,
      pageNumber: 1,
      pageUrl: patched.body.data.pageUrl,
    });
    expect(put.headers.get('etag')).not.toBe(etag2);
    expect(put.headers.get('etag')).not.toBe(etag);
  });

  it.each([
    [
      'PATCH',
      (id: string, h: Record<string, string>) =>
        api.patch(`${PAGES}/${id}`, { pageType: 'footer' }, { headers: h }),
    ],
    [
      'DELETE',
      (id: string, h: Record<string, string>) => api.delete(`${PAGES}/${id}`, { headers: h }),
    ],
  ])('%s applies with a matching If-Match and answers 412 on a stale one', async (_m, send) => {
    const { id, etag } = await createPage();
    await api.patch(`${PAGES}/${id}`, { metadata: { v: 2 } });

    const stale = await send(id, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: 'If-Match does not match the current ETag',
    });
    const current = await api.get(`${PAGES}/${id}`);
    expect(current.body.data.metadata).toEqual({ v: 2 });

    const fresh = await send(id, { 'if-match': current.headers.get('etag')! });
    expect(fresh.status).toBe(200);
  });

  it('PUT answers 412 on a stale If-Match and changes nothing', async () => {
    const { id, etag, page } = await createPage();
    await api.patch(`${PAGES}/${id}`, { pageType: 'cover' });
    const res = await api.put(
      `${PAGES}/${id}`,
      { job: page.job, pageNumber: 9, pageUrl: page.pageUrl },
      { headers: { 'if-match': etag } },
    );
    expect(res.status).toBe(412);
    expect((await api.get(`${PAGES}/${id}`)).body.data.pageNumber).toBe(1);
  });

  it.each([
    ['*', 200],
    ['"nope", CURRENT', 200],
    ['W/CURRENT', 412],
    ['garbage', 412],
  ])('treats If-Match %s as RFC 9110 says (%d)', async (header, status) => {
    const { id, etag } = await createPage();
    const value = header.replace('CURRENT', etag);
    const res = await api.patch(
      `${PAGES}/${id}`,
      { pageType: 'cover' },
      { headers: { 'if-match': value } },
    );
    expect(res.status).toBe(status);
  });

  it('answers 404, not 412, when the page does not exist', async () => {
    const res = await api.patch(
      `${PAGES}/${objectId()}`,
      { pageType: 'cover' },
      { headers: { 'if-match': '"0"' } },
    );
    expect(res.status).toBe(404);
  });

  it('lets exactly one of many parallel writers with the same ETag win', async () => {
    const { id, etag } = await createPage();
    const writers = 12;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        api.patch(`${PAGES}/${id}`, { metadata: { writer: i } }, { headers: { 'if-match': etag } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(writers - 1);

    const winner = results.find((r) => r.status === 200)!;
    const stored = await api.get(`${PAGES}/${id}`);
    expect(stored.body.data.metadata).toEqual(winner.body.data.metadata);
    expect(stored.headers.get('etag')).toBe(winner.headers.get('etag'));
  });

  it('applies every parallel writer without If-Match, none lost', async () => {
    const { id } = await createPage();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.patch(`${PAGES}/${id}`, { metadata: { writer: i } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const etags = new Set(results.map((r) => r.headers.get('etag')));
    expect(etags.size).toBe(8);
  });

  it('lets exactly one of parallel deletes with the same ETag win', async () => {
    const { id, etag } = await createPage();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.delete(`${PAGES}/${id}`, { headers: { 'if-match': etag } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 404 || s === 412)).toBe(true);
  });
});
