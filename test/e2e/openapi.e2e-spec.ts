import { useTestApp } from '../support/test-app.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { responseProblem } from '../support/response-validator.js';

describe('Swagger UI and the OpenAPI document', () => {
  const { testApp, api } = useTestApp();

  it('serves Swagger UI at /docs', async () => {
    const res = await api.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(String(res.body)).toContain('swagger-ui');
  });

  it('documents every endpoint with its operation id and responses at /docs-json', async () => {
    const res = await api.get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods).map(
          ([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const,
        ),
    );
    const byName = Object.fromEntries(operations.map(([name, op]) => [name, op.operationId]));
    expect(byName).toEqual({
      'GET /health': 'health',
      'GET /health/ready': 'healthReady',
      'GET /health/live': 'healthLive',
      'GET /metrics': 'metrics',
      'GET /api/v1/ocr-invoice-job-pages': 'listOcrPages',
      'POST /api/v1/ocr-invoice-job-pages': 'createOcrPage',
      'GET /api/v1/ocr-invoice-job-pages/{id}': 'getOcrPage',
      'GET /api/v1/ocr-invoice-job-pages/{id}/history': 'listOcrPageHistory',
      'PUT /api/v1/ocr-invoice-job-pages/{id}': 'replaceOcrPage',
      'PATCH /api/v1/ocr-invoice-job-pages/{id}': 'updateOcrPage',
      'PATCH /api/v1/ocr-invoice-job-pages/{id}/fields': 'correctOcrPageFields',
      'DELETE /api/v1/ocr-invoice-job-pages/{id}': 'deleteOcrPage',
      'POST /api/v1/ocr-invoice-job-pages/{id}/process': 'processOcrPage',
      'POST /api/v1/ocr-invoice-job-pages/{id}/review': 'reviewOcrPage',
      'GET /api/v1/ocr-invoice-jobs': 'listOcrInvoiceJobs',
      'POST /api/v1/ocr-invoice-jobs': 'createOcrInvoiceJob',
      'GET /api/v1/ocr-invoice-jobs/{id}': 'getOcrInvoiceJob',
      'PATCH /api/v1/ocr-invoice-jobs/{id}': 'updateOcrInvoiceJob',
      'DELETE /api/v1/ocr-invoice-jobs/{id}': 'deleteOcrInvoiceJob',
      'GET /api/v1/ocr-invoice-jobs/{id}/pages': 'listOcrInvoiceJobPages',
      'GET /api/v1/ocr-invoice-jobs/{id}/invoice': 'getOcrInvoice',
      'GET /api/v1/webhooks': 'listWebhooks',
      'POST /api/v1/webhooks': 'createWebhook',
      'GET /api/v1/webhooks/{id}': 'getWebhook',
      'DELETE /api/v1/webhooks/{id}': 'deleteWebhook',
      'GET /api/v1/webhooks/{id}/deliveries': 'listWebhookDeliveries',
    });
    const create = doc.paths['/api/v1/ocr-invoice-job-pages'].post;
    expect(Object.keys(create.responses).sort()).toEqual(
      ['201', '400', '401', '403', '409', '413', '415', '429', '500', '503'].sort(),
    );
    expect(create.responses['400'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ErrorResponseDto',
    );
  });

  it('describes the request body from the DTO decorators', async () => {
    const doc = (await api.get('/docs-json')).body;
    const create = doc.components.schemas.CreateOcrPageDto;
    expect(create.required.sort()).toEqual(['job', 'pageNumber', 'pageUrl']);
    expect(create.properties.pageNumber).toMatchObject({ type: 'integer', minimum: 1 });
    expect(create.properties.pageUrl).toMatchObject({ format: 'uri', maxLength: 2048 });
    expect(create.properties.pageType.$ref ?? create.properties.pageType.allOf?.[0]?.$ref).toBe(
      '#/components/schemas/PageType',
    );
    expect(doc.components.schemas.PageType.enum).toEqual([
      'cover',
      'header',
      'content',
      'footer',
      'summary',
      'attachment',
    ]);
    expect(doc.components.schemas.ImagePropertiesDto.properties.dpi).toMatchObject({
      type: 'integer',
      minimum: 0,
    });
    expect(doc.components.schemas.AnnotationDto.required).toEqual(['type']);
    const page = doc.components.schemas.OcrPageResponseDto.properties;
    for (const field of [
      '_id',
      'job',
      'pageUrl',
      'status',
      'ocrResults',
      'tableData',
      'annotations',
      'metadata',
    ]) {
      expect(page).toHaveProperty(field);
    }
  });

  it('exports the same document to a file without a database or a port (npm run openapi:export)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    // dist/ is built by `npm test`'s pretest step.
    await promisify(execFile)(process.execPath, ['dist/openapi-export.js', file], {
      env: { ...process.env, MONGODB_URI: '' },
      timeout: 30_000,
    });
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    const served = (await api.get('/docs-json')).body;
    expect(exported.paths).toEqual(served.paths);
    expect(Object.keys(exported.components.schemas).sort()).toEqual(
      Object.keys(served.components.schemas).sort(),
    );
  });

  it('holds every response of the e2e suite to its documented schema, catching a drift', async () => {
    const list = '/api/v1/ocr-invoice-job-pages';
    const page = { _id: '60f7b1b3e4b0e8b3f8b3f8b3', status: 'pending' };
    expect(
      await responseProblem(testApp.baseUrl, 'GET', list, 200, {
        success: true,
        data: [page],
        total: 1,
      }),
    ).toBeUndefined();
    expect(
      await responseProblem(testApp.baseUrl, 'GET', list, 200, {
        success: true,
        data: [{ ...page, status: 'weird' }],
        total: 1,
      }),
    ).toMatch(/does not match the OpenAPI document/);
    expect(
      await responseProblem(testApp.baseUrl, 'GET', list, 200, { success: true, data: [] }),
    ).toMatch(/total/);
    expect(
      await responseProblem(testApp.baseUrl, 'GET', `${list}/60f7b1b3e4b0e8b3f8b3f8b3`, 404, {
        success: false,
        error: { code: 'NOPE', message: 'x', details: [] },
      }),
    ).toMatch(/code/);
  });

  it('documents the API-key schemes and the scope each page operation needs', async () => {
    const doc = (await api.get('/docs-json')).body;
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
    const pages = doc.paths['/api/v1/ocr-invoice-job-pages'];
    expect(pages.get['x-required-scope']).toBe('read');
    expect(pages.post['x-required-scope']).toBe('write');
    expect(pages.post.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
    expect(Object.keys(pages.post.responses)).toEqual(
      expect.arrayContaining(['401', '403', '429']),
    );
  });
});
