import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../client/api-schema.js';
import { useTestApp } from '../support/test-app.js';
import { objectId } from '../support/fixtures/pages.js';

type CreatePage = components['schemas']['CreateOcrPageDto'];
type ErrorResponse = components['schemas']['ErrorResponseDto'];

/**
 * The OpenAPI document as a product: a client generated from it (`npm run client:generate`,
 * openapi-typescript + openapi-fetch) drives the API through a whole page life cycle. Request
 * bodies, parameters and responses are typed by the generated schema only, so a contract change
 * that breaks this scenario fails the type check (`npm run typecheck`), not just this test.
 */
describe('typed client generated from the OpenAPI document', () => {
  const { testApp } = useTestApp();
  let api: Client<paths>;

  beforeAll(() => {
    api = createClient<paths>({ baseUrl: testApp.baseUrl });
  });

  it('creates, lists with a filter, gets, patches with If-Match and deletes a page', async () => {
    const job = objectId();
    const body: CreatePage = {
      job,
      pageNumber: 1,
      pageUrl: 'https://files.example.com/ocr-invoice-jobs/1/pages/1.png',
      pageType: 'content',
      metadata: { source: 'typed-client' },
    };

    const created = await api.POST('/api/v1/ocr-invoice-job-pages', { body });
    expect(created.response.status).toBe(201);
    expect(created.error).toBeUndefined();
    const page = created.data!.data;
    expect(page).toMatchObject({ job, pageNumber: 1, status: 'pending', pageType: 'content' });
    const id = page._id;

    const listed = await api.GET('/api/v1/ocr-invoice-job-pages', {
      params: { query: { filter: JSON.stringify({ job }), sort: 'pageNumber', order: 'asc' } },
    });
    expect(listed.response.status).toBe(200);
    expect(listed.data).toMatchObject({ success: true, total: 1 });
    expect(listed.data!.data.map((p) => p._id)).toEqual([id]);

    const fetched = await api.GET('/api/v1/ocr-invoice-job-pages/{id}', {
      params: { path: { id } },
    });
    expect(fetched.response.status).toBe(200);
    expect(fetched.data!.data._id).toBe(id);
    const etag = fetched.response.headers.get('etag');
    expect(etag).toMatch(/^"\d+"$/);

    const patched = await api.PATCH('/api/v1/ocr-invoice-job-pages/{id}', {
      params: { path: { id }, header: { 'If-Match': etag! } },
      body: { pageType: 'summary', metadata: { source: 'typed-client', reviewed: true } },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data!.data).toMatchObject({
      _id: id,
      pageType: 'summary',
      metadata: { source: 'typed-client', reviewed: true },
    });
    const newEtag = patched.response.headers.get('etag');
    expect(newEtag).not.toBe(etag);

    // The ETag read before the patch is stale now: the typed error body says why.
    const stale = await api.DELETE('/api/v1/ocr-invoice-job-pages/{id}', {
      params: { path: { id }, header: { 'If-Match': etag! } },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error?.error.code).toBe('PRECONDITION_FAILED');

    const deleted = await api.DELETE('/api/v1/ocr-invoice-job-pages/{id}', {
      params: { path: { id }, header: { 'If-Match': newEtag! } },
    });
    expect(deleted.response.status).toBe(200);
    expect(deleted.data!.data._id).toBe(id);

    const gone = await api.GET('/api/v1/ocr-invoice-job-pages/{id}', {
      params: { path: { id } },
    });
    expect(gone.response.status).toBe(404);
    expect(gone.data).toBeUndefined();
    const notFound: ErrorResponse | undefined = gone.error;
    expect(notFound).toEqual({
      success: false,
      error: expect.objectContaining({ code: 'NOT_FOUND', message: expect.any(String) }),
    });
  });

  it('reports a duplicate (job, pageNumber) as a typed 409 CONFLICT body', async () => {
    const body: CreatePage = {
      job: objectId(),
      pageNumber: 2,
      pageUrl: 'https://files.example.com/ocr-invoice-jobs/2/pages/2.png',
    };
    const first = await api.POST('/api/v1/ocr-invoice-job-pages', { body });
    expect(first.response.status).toBe(201);

    const second = await api.POST('/api/v1/ocr-invoice-job-pages', { body });
    expect(second.response.status).toBe(409);
    expect(second.data).toBeUndefined();
    const { success, error } = second.error!;
    expect(success).toBe(false);
    expect(error.code).toBe('CONFLICT');
    expect(typeof error.message).toBe('string');
    expect(Array.isArray(error.details)).toBe(true);
  });
});
