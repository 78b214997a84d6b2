import { expectError } from '../support/expect-error.js';
import { useTestApp } from '../support/test-app.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';

/** The fields named by a 400's details, sorted, without repeats. */
function fieldsOf(body: { error: { details: Array<{ field: string }> } }): string[] {
  return [...new Set(body.error.details.map((d) => d.field))].sort();
}

describe('OCR pages input validation', () => {
  const { api } = useTestApp();

  describe('POST /api/v1/ocr-invoice-job-pages', () => {
    it.each([
      ['a missing job', { job: undefined }, ['job']],
      ['a job that is not an ObjectId', { job: 'abc' }, ['job']],
      ['a numeric job', { job: 42 }, ['job']],
      ['pageNumber 0', { pageNumber: 0 }, ['pageNumber']],
      ['a fractional pageNumber', { pageNumber: 1.5 }, ['pageNumber']],
      ['pageNumber as a string', { pageNumber: '1' }, ['pageNumber']],
      ['a relative pageUrl', { pageUrl: '/pages/1.png' }, ['pageUrl']],
      ['an ftp pageUrl', { pageUrl: 'ftp://files.example.com/1.png' }, ['pageUrl']],
      ['a javascript: pageUrl', { pageUrl: 'javascript:alert(1)' }, ['pageUrl']],
      ['a pageUrl over 2048 chars', { pageUrl: `https://e.com/${'a'.repeat(2040)}` }, ['pageUrl']],
      ['an unknown pageType', { pageType: 'poster' }, ['pageType']],
      ['null pageType', { pageType: null }, ['pageType']],
      ['imageProperties as a string', { imageProperties: 'big' }, ['imageProperties']],
      [
        'bad imageProperties values',
        { imageProperties: { width: -1, dpi: 1.5, colorSpace: 'hsv', format: 'svg', size: 'x' } },
        [
          'imageProperties.colorSpace',
          'imageProperties.dpi',
          'imageProperties.format',
          'imageProperties.size',
          'imageProperties.width',
        ],
      ],
      ['annotations as an object', { annotations: { type: 'note' } }, ['annotations']],
      ['a null annotation', { annotations: [null] }, ['annotations', 'annotations.0']],
      [
        'a bad annotation',
        {
          annotations: [
            { type: 'note' },
            { type: 'scribble', createdAt: 'yesterday', coordinates: { x: -1, y: 0, width: 1 } },
          ],
        },
        [
          'annotations.1.coordinates.height',
          'annotations.1.coordinates.x',
          'annotations.1.createdAt',
          'annotations.1.type',
        ],
      ],
      ['too many annotations', { annotations: Array(501).fill({ type: 'note' }) }, ['annotations']],
      ['metadata as an array', { metadata: [1, 2] }, ['metadata']],
      ['metadata with a $ key', { metadata: { $where: 'sleep(1000)' } }, ['metadata']],
      ['metadata with a dotted key', { metadata: { 'a.b': 1 } }, ['metadata']],
      ['nested metadata with a $ key', { metadata: { a: [{ $gt: 1 }] } }, ['metadata']],
      ['metadata over 16 KiB', { metadata: { blob: 'x'.repeat(17 * 1024) } }, ['metadata']],
      ['a metadata key with a NUL character', { metadata: { 'a\u0000b': 1 } }, ['metadata']],
      [
        'an annotation createdAt as an ISO week date',
        { annotations: [{ type: 'note', createdAt: '2026-W01-1' }] },
        ['annotations.0.createdAt'],
      ],
      [
        'an annotation createdAt in basic ISO format',
        { annotations: [{ type: 'note', createdAt: '20260101T000000Z' }] },
        ['annotations.0.createdAt'],
      ],
    ])(
      'rejects %s with 400 VALIDATION_ERROR naming the field',
      async (_name, overrides, fields) => {
        const res = await api.post(PAGES, { ...buildCreatePageDto(), ...overrides });
        expectError(res, 400, 'VALIDATION_ERROR');
        expect(fieldsOf(res.body)).toEqual(fields);
      },
    );

    it.each([
      'status',
      'ocrResults',
      'preprocessing',
      'extractedFields',
      'tableData',
      'processingTime',
      'startedAt',
      'completedAt',
      'errorLog',
      'retryCount',
      'qualityScore',
      'extractionChecks',
      'eInvoice',
      '_id',
      'createdAt',
      'updatedAt',
    ])('rejects the server-managed field %s, saying so', async (field) => {
      const res = await api.post(PAGES, { ...buildCreatePageDto(), [field]: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { field, message: `${field} is managed by the server and cannot be written` },
      ]);
    });

    it('names every offending field at once, unknown ones included', async () => {
      const res = await api.post(PAGES, {
        job: 'nope',
        pageNumber: -3,
        pageUrl: 'https://ok.example.com/p.png',
        color: 'red',
        imageProperties: { dpi: 300, extra: true },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual(
        expect.arrayContaining([
          { field: 'color', message: 'color is not a known property' },
          {
            field: 'imageProperties.extra',
            message: 'imageProperties.extra is not a known property',
          },
          { field: 'job', message: expect.stringMatching(/^job /) },
          { field: 'pageNumber', message: 'pageNumber must not be less than 1' },
        ]),
      );
    });

    it('never echoes submitted values in error messages', async () => {
      const secret = 'ACME-SECRET-4711';
      const res = await api.post(PAGES, {
        job: secret,
        pageNumber: secret,
        pageUrl: secret,
        pageType: secret,
        [secret]: 1,
      });
      expect(res.status).toBe(400);
      const messages = res.body.error.details.map((d: { message: string }) => d.message).join(' ');
      // An unknown property is named (it is the field at fault); no value is ever repeated.
      expect(messages.replaceAll(`${secret} is not a known property`, '')).not.toContain(secret);
    });

    it('accepts a full valid body and stores nothing on a rejected one', async () => {
      const job = buildCreatePageDto().job;
      const rejected = await api.post(PAGES, { ...buildCreatePageDto({ job }), pageType: 'bad' });
      expect(rejected.status).toBe(400);
      const list = await api.get(`${PAGES}?limit=100`);
      expect(list.body.data.some((p: { job: string }) => p.job === job)).toBe(false);

      const accepted = await api.post(
        PAGES,
        buildCreatePageDto({
          job,
          pageType: 'summary',
          imageProperties: {
            width: 2480,
            height: 3508,
            dpi: 300,
            colorSpace: 'grayscale',
            format: 'tiff',
            size: 1,
          },
          annotations: [
            {
              type: 'highlight',
              text: 'total',
              coordinates: { x: 1.5, y: 2, width: 3, height: 4 },
              createdBy: 'reviewer@example.com',
              createdAt: '2026-01-02T03:04:05Z',
            },
          ],
          metadata: { source: 'scanner-3', tags: ['a', 'b'], nested: { ok: true } },
        }),
      );
      expect(accepted.status).toBe(201);
      expect(accepted.body.data.imageProperties).toEqual({
        width: 2480,
        height: 3508,
        dpi: 300,
        colorSpace: 'grayscale',
        format: 'tiff',
        size: 1,
      });
      expect(accepted.body.data.annotations[0].coordinates).toEqual({
        x: 1.5,
        y: 2,
        width: 3,
        height: 4,
      });
    });
  });

  describe('PATCH /api/v1/ocr-invoice-job-pages/:id', () => {
    it('validates the fields sent with the same rules, and server-managed ones too', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const res = await api.patch(`${PAGES}/${created.body.data._id}`, {
        pageNumber: 0,
        status: 'completed',
        qualityScore: 1,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual(
        expect.arrayContaining([
          { field: 'status', message: 'status is managed by the server and cannot be written' },
          {
            field: 'qualityScore',
            message: 'qualityScore is managed by the server and cannot be written',
          },
          { field: 'pageNumber', message: 'pageNumber must not be less than 1' },
        ]),
      );
      expect((await api.get(`${PAGES}/${created.body.data._id}`)).body.data.status).toBe('pending');
    });
  });

  describe('GET /api/v1/ocr-invoice-job-pages query parameters', () => {
    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=x', 'offset'],
      ['order=up', 'order'],
      ['order=ASC', 'order'],
      ['unknown=1', 'unknown'],
    ])('rejects ?%s with 400 VALIDATION_ERROR naming %s', async (query, field) => {
      const res = await api.get(`${PAGES}?${query}`);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(fieldsOf(res.body)).toEqual([field]);
    });

    it.each(['sort=foo', 'sort=__proto__', 'sort=metadata', 'sort=_id'])(
      'rejects ?%s with 400 INVALID_FILTER',
      async (query) => {
        const res = await api.get(`${PAGES}?${query}`);
        expectError(res, 400, 'INVALID_FILTER');
        expect(res.body.error.message).toContain('must be one of');
      },
    );
  });
});
