import { createHash } from 'node:crypto';
import { expectError } from '../support/expect-error.js';
import {
  buildCreateJobDto,
  buildDocumentJobDto,
  buildUpdateJobDto,
  JOBS,
} from '../support/fixtures/jobs.js';
import { buildCreatePageDto, objectId, PAGES } from '../support/fixtures/pages.js';
import { queryString } from '../support/http.js';
import { useTestApp } from '../support/test-app.js';

describe('POST /api/v1/ocr-invoice-jobs', () => {
  const { api } = useTestApp();

  it('creates a job and its pages from pageUrls, numbered from 1, with ETag and Location', async () => {
    const dto = buildCreateJobDto();
    const res = await api.post(JOBS, dto);
    expect(res.status).toBe(201);
    const job = res.body.data;
    expect(job).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: dto.name,
      pageCount: 3,
      status: 'pending',
      pageCounts: { pending: 3, processing: 0, completed: 0, failed: 0 },
      metadata: { source: 'e2e' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`${JOBS}/${job._id}`);
    expect(res.headers.get('etag')).toMatch(/^"\d+"$/);

    const pages = await api.get(`${JOBS}/${job._id}/pages`);
    expect(pages.status).toBe(200);
    expect(pages.body.total).toBe(3);
    expect(
      pages.body.data.map((p: { job: string; pageNumber: number; pageUrl: string }) => [
        p.job,
        p.pageNumber,
        p.pageUrl,
      ]),
    ).toEqual(dto.pageUrls!.map((url, i) => [job._id, i + 1, url]));
  });

  it('creates a job from a documentUrl with pageCount null and no pages yet', async () => {
    const res = await api.post(JOBS, buildDocumentJobDto('https://files.example.com/doc.pdf'));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      documentUrl: 'https://files.example.com/doc.pdf',
      pageCount: null,
      status: 'pending',
      pageCounts: { pending: 0, processing: 0, completed: 0, failed: 0 },
    });
    const pages = await api.get(`${JOBS}/${res.body.data._id}/pages`);
    expect(pages.body).toEqual({ success: true, data: [], total: 0 });
  });

  it.each([
    ['both', { documentUrl: 'https://files.example.com/doc.pdf' }],
    ['neither', { pageUrls: undefined }],
  ])('answers %s of pageUrls and documentUrl with 400 naming them', async (_, overrides) => {
    const res = await api.post(JOBS, buildCreateJobDto(overrides));
    expectError(res, 400, 'VALIDATION_ERROR', [
      { field: 'pageUrls', message: 'exactly one of pageUrls and documentUrl must be sent' },
      { field: 'documentUrl', message: 'exactly one of pageUrls and documentUrl must be sent' },
    ]);
  });

  const fieldsOf = (body: any): string[] =>
    [...new Set(body.error.details.map((d: { field: string }) => d.field))].sort() as string[];

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an empty pageUrls', { pageUrls: [] }, ['pageUrls']],
    [
      'more than 500 pageUrls',
      { pageUrls: Array.from({ length: 501 }, (_, i) => `https://f.example.com/${i}.png`) },
      ['pageUrls'],
    ],
    [
      'a page URL that is not http(s)',
      { pageUrls: ['ftp://files.example.com/1.png'] },
      ['pageUrls'],
    ],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, ['name']],
    ['a null name', { name: null }, ['name']],
    ['metadata that is not an object', { metadata: [1] }, ['metadata']],
    ['a server-managed field', { status: 'completed' }, ['status']],
    ['an unknown field', { priority: 1 }, ['priority']],
  ])('answers %s with 400 VALIDATION_ERROR naming the field', async (_, overrides, fields) => {
    const res = await api.post(JOBS, { ...buildCreateJobDto(), ...overrides });
    expectError(res, 400, 'VALIDATION_ERROR');
    expect(fieldsOf(res.body)).toEqual(fields);
  });

  it('creates nothing when a request is refused', async () => {
    const before = (await api.get(JOBS)).body.total;
    await api.post(JOBS, buildCreateJobDto({ name: 'x'.repeat(201) }));
    expect((await api.get(JOBS)).body.total).toBe(before);
  });
});

describe('GET, PATCH and DELETE /api/v1/ocr-invoice-jobs/:id', () => {
  const { api } = useTestApp();

  async function createJob(): Promise<{ id: string; etag: string }> {
    const res = await api.post(JOBS, buildCreateJobDto());
    expect(res.status).toBe(201);
    return { id: res.body.data._id, etag: res.headers.get('etag')! };
  }

  it('gets a job with its ETag', async () => {
    const { id, etag } = await createJob();
    const res = await api.get(`${JOBS}/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data._id).toBe(id);
    expect(res.headers.get('etag')).toBe(etag);
  });

  it.each([
    ['GET', 'get'],
    ['DELETE', 'delete'],
  ] as const)('answers %s of an unknown job with 404 and a malformed id with 400', async (_, m) => {
    expectError(await api[m](`${JOBS}/${objectId()}`), 404, 'NOT_FOUND');
    expectError(await api[m](`${JOBS}/not-an-id`), 400, 'INVALID_ID');
  });

  it('patches name and metadata, honouring If-Match', async () => {
    const { id, etag } = await createJob();
    const stale = await api.patch(`${JOBS}/${id}`, buildUpdateJobDto(), {
      headers: { 'if-match': '"999"' },
    });
    expectError(stale, 412, 'PRECONDITION_FAILED');

    const res = await api.patch(`${JOBS}/${id}`, buildUpdateJobDto({ metadata: { batch: 7 } }), {
      headers: { 'if-match': etag },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Renamed job', metadata: { batch: 7 } });
    expect(res.headers.get('etag')).not.toBe(etag);
    expect((await api.get(`${JOBS}/${id}`)).body.data.name).toBe('Renamed job');
  });

  it.each([
    ['pageUrls', { pageUrls: ['https://files.example.com/1.png'] }],
    ['status', { status: 'completed' }],
    ['documentUrl', { documentUrl: 'https://files.example.com/doc.pdf' }],
  ])('refuses to patch %s', async (field, body) => {
    const { id } = await createJob();
    const res = await api.patch(`${JOBS}/${id}`, body);
    expectError(res, 400, 'VALIDATION_ERROR');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('deletes a job and its pages, honouring If-Match', async () => {
    const { id, etag } = await createJob();
    const pageIds = (await api.get(`${JOBS}/${id}/pages`)).body.data.map(
      (p: { _id: string }) => p._id,
    );
    expect(pageIds).toHaveLength(3);
    expectError(
      await api.delete(`${JOBS}/${id}`, { headers: { 'if-match': '"999"' } }),
      412,
      'PRECONDITION_FAILED',
    );
    const res = await api.delete(`${JOBS}/${id}`, { headers: { 'if-match': etag } });
    expect(res.status).toBe(200);
    expect(res.body.data._id).toBe(id);
    expectError(await api.get(`${JOBS}/${id}`), 404, 'NOT_FOUND');
    for (const pageId of pageIds) {
      expectError(await api.get(`${PAGES}/${pageId}`), 404, 'NOT_FOUND');
    }
  });
});

describe('GET /api/v1/ocr-invoice-jobs (list)', () => {
  const { api } = useTestApp();
  const names = ['alpha', 'bravo', 'charlie', 'delta'];
  const ids: string[] = [];

  beforeAll(async () => {
    for (const [i, name] of names.entries()) {
      const dto =
        i === 3
          ? buildDocumentJobDto('https://files.example.com/delta-scan.pdf', { name })
          : buildCreateJobDto({
              name,
              pageUrls: Array.from(
                { length: i + 1 },
                (_, n) => `https://f.example.com/${name}/${n}.png`,
              ),
              metadata: { customer: i % 2 === 0 ? 'acme' : 'globex' },
            });
      ids.push((await api.post(JOBS, dto)).body.data._id);
    }
  });

  const list = async (query: Record<string, string>) => {
    const res = await api.get(`${JOBS}?${queryString(query)}`);
    expect(res.status).toBe(200);
    return { names: res.body.data.map((job: { name: string }) => job.name), total: res.body.total };
  };

  it('lists newest first by default, with the total', async () => {
    expect(await list({})).toEqual({ names: [...names].reverse(), total: 4 });
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['filter on pageCount', { filter: '{"pageCount":{"$gte":2}}' }, ['bravo', 'charlie']],
    ['filter on metadata', { filter: '{"metadata.customer":"acme"}' }, ['alpha', 'charlie']],
    [
      'filter on status',
      { filter: '{"status":"pending"}' },
      ['alpha', 'bravo', 'charlie', 'delta'],
    ],
    ['filter on name', { filter: '{"name":{"$in":["alpha","delta"]}}' }, ['alpha', 'delta']],
    ['search in documentUrl', { search: 'delta-scan' }, ['delta']],
    ['search in name', { search: 'RAV' }, ['bravo']],
  ])('supports %s', async (_, query, expected) => {
    const result = await list({ ...query, sort: 'name', order: 'asc' });
    expect(result).toEqual({ names: expected, total: expected.length });
  });

  it.each([
    ['name', 'asc', ['alpha', 'bravo', 'charlie', 'delta']],
    ['name', 'desc', ['delta', 'charlie', 'bravo', 'alpha']],
    ['createdAt', 'asc', ['alpha', 'bravo', 'charlie', 'delta']],
  ])('sorts by %s %s', async (sort, order, expected) => {
    expect((await list({ sort, order })).names).toEqual(expected);
  });

  it('selects fields, pages with limit and offset', async () => {
    const res = await api.get(
      `${JOBS}?fields=name,pageCounts&sort=name&order=asc&limit=2&offset=1`,
    );
    expect(res.body.total).toBe(4);
    expect(res.body.data).toEqual([
      {
        _id: ids[1],
        name: 'bravo',
        pageCounts: { pending: 2, processing: 0, completed: 0, failed: 0 },
      },
      {
        _id: ids[2],
        name: 'charlie',
        pageCounts: { pending: 3, processing: 0, completed: 0, failed: 0 },
      },
    ]);
  });

  it.each([
    ['an unknown filter field', { filter: '{"pageUrl":"x"}' }],
    ['an unknown sort field', { sort: 'pageNumber' }],
    ['an unknown selected field', { fields: 'revision' }],
  ])('answers %s with 400 INVALID_FILTER', async (_, query) => {
    expectError(await api.get(`${JOBS}?${queryString(query)}`), 400, 'INVALID_FILTER');
  });
});

describe('GET /api/v1/ocr-invoice-jobs/:id/pages', () => {
  const { api } = useTestApp();

  it("lists the job's pages in page order by default, with the page list's parameters", async () => {
    const urls = Array.from({ length: 5 }, (_, i) => `https://files.example.com/p/${i + 1}.png`);
    const job = (await api.post(JOBS, buildCreateJobDto({ pageUrls: urls }))).body.data;
    // Another job's pages stay out.
    await api.post(JOBS, buildCreateJobDto());

    const all = await api.get(`${JOBS}/${job._id}/pages`);
    expect(all.body.total).toBe(5);
    expect(all.body.data.map((p: { pageNumber: number }) => p.pageNumber)).toEqual([1, 2, 3, 4, 5]);

    const window = await api.get(
      `${JOBS}/${job._id}/pages?${queryString({ order: 'desc', limit: '2', offset: '1', fields: 'pageNumber' })}`,
    );
    expect(window.body.total).toBe(5);
    expect(window.body.data.map((p: { pageNumber: number }) => p.pageNumber)).toEqual([4, 3]);
    expect(Object.keys(window.body.data[0]).sort()).toEqual(['_id', 'pageNumber']);

    const filtered = await api.get(
      `${JOBS}/${job._id}/pages?${queryString({ filter: '{"pageNumber":{"$gt":3}}', search: '/5.png' })}`,
    );
    expect(filtered.body.data.map((p: { pageNumber: number }) => p.pageNumber)).toEqual([5]);
  });

  it('answers an unknown job with 404 and a bad filter with 400', async () => {
    expectError(await api.get(`${JOBS}/${objectId()}/pages`), 404, 'NOT_FOUND');
    const job = (await api.post(JOBS, buildCreateJobDto())).body.data;
    expectError(
      await api.get(`${JOBS}/${job._id}/pages?filter={"$where":"1"}`),
      400,
      'INVALID_FILTER',
    );
  });
});

describe('pages created through the pages API with any job id', () => {
  const { api } = useTestApp();

  it('keep working as before, and a job document never appears for them', async () => {
    const job = objectId();
    const created = await api.post(PAGES, buildCreatePageDto({ job, pageNumber: 2 }));
    expect(created.status).toBe(201);
    expect(created.body.data.job).toBe(job);
    const patched = await api.patch(`${PAGES}/${created.body.data._id}`, { pageType: 'summary' });
    expect(patched.status).toBe(200);
    expectError(await api.get(`${JOBS}/${job}`), 404, 'NOT_FOUND');
    expect((await api.delete(`${PAGES}/${created.body.data._id}`)).status).toBe(200);
  });

  it("count in a job's roll-up when they carry its id", async () => {
    const job = (await api.post(JOBS, buildCreateJobDto())).body.data;
    const extra = await api.post(PAGES, buildCreatePageDto({ job: job._id, pageNumber: 4 }));
    expect(extra.status).toBe(201);
    const after = (await api.get(`${JOBS}/${job._id}`)).body.data;
    expect(after.pageCount).toBe(4);
    expect(after.pageCounts.pending).toBe(4);
    await api.delete(`${PAGES}/${extra.body.data._id}`);
    expect((await api.get(`${JOBS}/${job._id}`)).body.data.pageCounts.pending).toBe(3);
  });

  it('a second page with the same job and pageNumber is still a 409', async () => {
    const job = (await api.post(JOBS, buildCreateJobDto())).body.data;
    expectError(
      await api.post(PAGES, buildCreatePageDto({ job: job._id, pageNumber: 1 })),
      409,
      'CONFLICT',
    );
  });
});

describe('job routes: API keys, scopes and rate limit as for pages', () => {
  const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
  const READ = 'jobs-e2e-read-key';
  const WRITE = 'jobs-e2e-write-key';
  const { api } = useTestApp({
    API_KEYS: `${sha256(READ)}:read,${sha256(WRITE)}:read+write`,
    RATE_LIMIT_MAX: '4',
  });
  const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

  it('needs a key, read for GET and write to create', async () => {
    expectError(await api.get(JOBS), 401, 'UNAUTHORIZED');
    expect((await api.get(JOBS, bearer(READ))).status).toBe(200);
    expectError(await api.post(JOBS, buildCreateJobDto(), bearer(READ)), 403, 'FORBIDDEN');
    const created = await api.post(JOBS, buildCreateJobDto(), bearer(WRITE));
    expect(created.status).toBe(201);
    expect((await api.get(`${JOBS}/${created.body.data._id}/invoice`, bearer(WRITE))).status).toBe(
      200,
    );
    expect((await api.get(JOBS, bearer(WRITE))).status).toBe(200);
    expect((await api.get(JOBS, bearer(WRITE))).status).toBe(200);
    // The fifth request of this key in the window.
    expectError(await api.get(JOBS, bearer(WRITE)), 429, 'RATE_LIMITED');
  });
});
