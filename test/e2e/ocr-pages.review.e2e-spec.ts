import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { expectError } from '../support/expect-error.js';
import { buildCreatePageDto, OCR_PAGES_COLLECTION, PAGES } from '../support/fixtures/pages.js';
import { useTestApp } from '../support/test-app.js';

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const ALICE_KEY = 'review-alice-key';
const UNNAMED_KEY = 'review-unnamed-key';
const READ_KEY = 'review-read-key';
const API_KEYS = [
  `${sha256(ALICE_KEY)}:read+write=alice`,
  `${sha256(UNNAMED_KEY)}:read+write`,
  `${sha256(READ_KEY)}:read`,
].join(',');
const alice = { authorization: `Bearer ${ALICE_KEY}` };
const unnamed = { authorization: `Bearer ${UNNAMED_KEY}` };
const reader = { authorization: `Bearer ${READ_KEY}` };

/** What a processed page holds: fields read by OCR, one failed check, a review. */
const PROCESSED = {
  status: 'completed',
  extractedFields: {
    invoiceNumber: {
      value: 'INV-1O42',
      confidence: 0.61,
      boundingBox: { x: 1, y: 2, width: 3, height: 4 },
    },
    invoiceDate: { value: '2026-03-01', confidence: 0.95 },
    vendorName: { value: 'ACME GmbH', confidence: 0.93 },
    currency: { value: 'EUR', confidence: 0.9 },
    subtotal: { value: 100, confidence: 0.9 },
    taxAmount: { value: 20, confidence: 0.9 },
    totalAmount: { value: 130, confidence: 0.45 },
  },
  extractionChecks: [
    {
      name: 'subtotalPlusTaxEqualsTotal',
      passed: false,
      detail: '100.00 + 20.00 = 120.00 ≠ 130.00',
      fields: ['subtotal', 'taxAmount', 'totalAmount'],
    },
  ],
  qualityScore: 0.7,
  review: {
    status: 'needed',
    reasons: ['lowConfidence:invoiceNumber', 'lowConfidence:totalAmount', 'failedCheck:total'],
  },
  completedAt: new Date('2026-03-01T12:00:00Z'),
};

describe('review and corrections', () => {
  describe('with API keys', () => {
    const { testApp, api } = useTestApp({ API_KEYS });

    /** A page as the API creates it, then given processing output straight in the collection. */
    async function processedPage(extra: Record<string, unknown> = {}): Promise<string> {
      const created = await api.post(PAGES, buildCreatePageDto(), { headers: alice });
      expect(created.status).toBe(201);
      const id: string = created.body.data._id;
      await testApp.connection
        .collection(OCR_PAGES_COLLECTION)
        .updateOne({ _id: new Types.ObjectId(id) }, { $set: { ...PROCESSED, ...extra } });
      return id;
    }

    const fieldsOf = (id: string, body: unknown, headers: Record<string, string> = alice) =>
      api.patch(`${PAGES}/${id}/fields`, body, { headers });

    describe('PATCH /api/v1/ocr-invoice-job-pages/:id/fields', () => {
      it('corrects fields of every type; others keep source "ocr"', async () => {
        const id = await processedPage();
        const before = Date.now();
        const res = await fieldsOf(id, {
          fields: {
            invoiceNumber: 'INV-1042',
            dueDate: '2026-03-31',
            totalAmount: 120,
            currency: 'CHF',
            purchaseOrder: 'PO 7',
          },
          comment: 'read from the paper copy',
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toBeDefined();
        const fields = res.body.data.extractedFields;
        expect(fields.invoiceNumber).toEqual({
          value: 'INV-1042',
          confidence: 1,
          boundingBox: { x: 1, y: 2, width: 3, height: 4 },
          source: 'review',
          ocrValue: 'INV-1O42',
          correctedAt: expect.any(String),
          correctedBy: 'alice',
        });
        expect(Date.parse(fields.invoiceNumber.correctedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(fields.dueDate).toMatchObject({
          value: '2026-03-31',
          source: 'review',
          ocrValue: null,
        });
        expect(fields.totalAmount).toMatchObject({ value: 120, source: 'review', ocrValue: 130 });
        expect(fields.currency).toMatchObject({ value: 'CHF', source: 'review', ocrValue: 'EUR' });
        expect(fields.purchaseOrder).toMatchObject({ value: 'PO 7', source: 'review' });
        expect(fields.vendorName).toEqual({ value: 'ACME GmbH', confidence: 0.93, source: 'ocr' });
        expect(fields.vendorName).not.toHaveProperty('ocrValue');

        const read = await api.get(`${PAGES}/${id}`, { headers: reader });
        expect(read.body.data.extractedFields).toEqual(fields);
      });

      it('re-runs the checks on the corrected values: a total that now adds up passes', async () => {
        const id = await processedPage();
        const res = await fieldsOf(id, { fields: { totalAmount: 120 } });
        expect(res.status).toBe(200);
        expect(res.body.data.extractionChecks).toEqual([
          {
            name: 'subtotalPlusTaxEqualsTotal',
            passed: true,
            detail: '100.00 + 20.00 = 120.00',
            fields: [],
          },
        ]);
        const wrong = await fieldsOf(id, { fields: { subtotal: 90.5 } });
        expect(wrong.body.data.extractionChecks[0]).toMatchObject({
          passed: false,
          detail: '90.50 + 20.00 = 110.50 ≠ 120.00',
        });
      });

      it('restores the value read when a correction is set to null', async () => {
        const id = await processedPage();
        await fieldsOf(id, { fields: { totalAmount: 120, dueDate: '2026-04-01' } });
        const res = await fieldsOf(id, { fields: { totalAmount: null, dueDate: null } });
        expect(res.status).toBe(200);
        expect(res.body.data.extractedFields.totalAmount).toEqual({
          value: 130,
          confidence: 0.45,
          source: 'ocr',
        });
        expect(res.body.data.extractedFields).not.toHaveProperty('dueDate');
        expect(res.body.data.extractionChecks[0].passed).toBe(false);
      });

      it.each([
        ['an impossible date', { invoiceDate: '2026-02-30' }, 'fields.invoiceDate'],
        ['February 29th of a common year', { dueDate: '2025-02-29' }, 'fields.dueDate'],
        ['a date with a time', { dueDate: '2026-03-01T00:00:00Z' }, 'fields.dueDate'],
        ['a month 13', { invoiceDate: '2026-13-01' }, 'fields.invoiceDate'],
        ['a date as a number', { invoiceDate: 20260301 }, 'fields.invoiceDate'],
        ['three decimals', { totalAmount: 1.005 }, 'fields.totalAmount'],
        ['an amount as a string', { subtotal: '100.00' }, 'fields.subtotal'],
        ['a tiny amount in exponent form', { taxAmount: 1e-7 }, 'fields.taxAmount'],
        ['an unknown currency', { currency: 'XYZ' }, 'fields.currency'],
        ['a withdrawn currency', { currency: 'DEM' }, 'fields.currency'],
        ['a lower-case currency', { currency: 'eur' }, 'fields.currency'],
        ['an empty string', { vendorName: '' }, 'fields.vendorName'],
        ['blanks only', { customerName: '   ' }, 'fields.customerName'],
        ['201 characters', { vendorTaxId: 'x'.repeat(201) }, 'fields.vendorTaxId'],
        ['a number for a string field', { invoiceNumber: 42 }, 'fields.invoiceNumber'],
        ['an object', { invoiceNumber: { $gt: '' } }, 'fields.invoiceNumber'],
      ])('refuses %s with 400 naming the field', async (_label, fields, field) => {
        const id = await processedPage();
        const res = await fieldsOf(id, { fields });
        expectError(res, 400, 'VALIDATION_ERROR', [{ field, message: expect.any(String) }]);
        expect(JSON.stringify(res.body)).not.toContain('x'.repeat(50));
      });

      it('accepts the edges: Feb 29th of a leap year, 2 decimals, negative amounts, 200 characters', async () => {
        const id = await processedPage();
        const res = await fieldsOf(id, {
          fields: {
            invoiceDate: '2024-02-29',
            taxAmount: -0.05,
            subtotal: 0.1,
            vendorName: 'v'.repeat(200),
            currency: 'JPY',
          },
        });
        expect(res.status).toBe(200);
        expect(res.body.data.extractedFields.taxAmount.value).toBe(-0.05);
      });

      it('names unknown fields, and refuses bodies that are not a field map', async () => {
        const id = await processedPage();
        const unknown = await fieldsOf(id, {
          fields: { total: 1, Currency: 2, totalAmount: 3 },
        });
        expectError(unknown, 400, 'VALIDATION_ERROR');
        expect(unknown.body.error.details).toEqual([
          {
            field: 'fields',
            message: expect.stringContaining('unknown field(s): total, Currency'),
          },
        ]);
        expectError(await fieldsOf(id, { fields: {} }), 400, 'VALIDATION_ERROR');
        expectError(await fieldsOf(id, {}), 400, 'VALIDATION_ERROR');
        expectError(await fieldsOf(id, { fields: [1] }), 400, 'VALIDATION_ERROR');
        expectError(
          await fieldsOf(id, { fields: { totalAmount: 1 }, extra: 1 }),
          400,
          'VALIDATION_ERROR',
        );
        expectError(
          await fieldsOf(id, { fields: { totalAmount: 1 }, comment: 'c'.repeat(1001) }),
          400,
          'VALIDATION_ERROR',
        );
      });

      it('honours If-Match: 412 on a stale ETag, 200 on the current one', async () => {
        const id = await processedPage();
        const current = await api.get(`${PAGES}/${id}`, { headers: alice });
        const etag = current.headers.get('etag')!;
        const stale = await fieldsOf(
          id,
          { fields: { totalAmount: 120 } },
          { ...alice, 'if-match': '"999"' },
        );
        expectError(stale, 412, 'PRECONDITION_FAILED');
        const ok = await fieldsOf(
          id,
          { fields: { totalAmount: 120 } },
          { ...alice, 'if-match': etag },
        );
        expect(ok.status).toBe(200);
        expect(ok.headers.get('etag')).not.toBe(etag);
      });

      it('needs the write scope: 401 without a key, 403 with a read key; 404 and 400 INVALID_ID', async () => {
        const id = await processedPage();
        const body = { fields: { totalAmount: 120 } };
        expectError(await api.patch(`${PAGES}/${id}/fields`, body), 401, 'UNAUTHORIZED');
        expectError(await fieldsOf(id, body, reader), 403, 'FORBIDDEN');
        expectError(await fieldsOf(new Types.ObjectId().toHexString(), body), 404, 'NOT_FOUND');
        expectError(await fieldsOf('nope', body), 400, 'INVALID_ID');
      });

      it('records a key without a name by the first 8 hex digits of its hash', async () => {
        const id = await processedPage();
        const res = await fieldsOf(id, { fields: { totalAmount: 120 } }, unnamed);
        expect(res.body.data.extractedFields.totalAmount.correctedBy).toBe(
          sha256(UNNAMED_KEY).slice(0, 8),
        );
      });

      it('drops the corrections when pageUrl changes, and the history says so', async () => {
        const id = await processedPage();
        const { pageUrl } = (await api.get(`${PAGES}/${id}`, { headers: alice })).body.data;
        await fieldsOf(id, { fields: { totalAmount: 120 } });
        const moved = await api.patch(
          `${PAGES}/${id}`,
          { pageUrl: 'https://files.example.com/pages/other.png' },
          { headers: alice },
        );
        expect(moved.status).toBe(200);
        expect(moved.body.data).not.toHaveProperty('extractedFields');
        expect(moved.body.data).not.toHaveProperty('review');
        // A correction after the new image is read concerns the new image only.
        await testApp.connection
          .collection(OCR_PAGES_COLLECTION)
          .updateOne({ _id: new Types.ObjectId(id) }, { $set: PROCESSED });
        const read = await api.get(`${PAGES}/${id}`, { headers: alice });
        expect(read.body.data.extractedFields.totalAmount).toMatchObject({
          value: 130,
          source: 'ocr',
        });

        const history = await api.get(`${PAGES}/${id}/history`, { headers: alice });
        const updated = history.body.data.find((event: any) => event.type === 'updated');
        expect(updated.changes).toEqual(
          expect.arrayContaining([
            {
              path: 'pageUrl',
              before: pageUrl,
              after: 'https://files.example.com/pages/other.png',
            },
            { path: 'corrections.totalAmount', before: 120, after: null },
          ]),
        );
      });
    });

    describe('GET /api/v1/ocr-invoice-job-pages/:id/history', () => {
      it('lists every event newest first, with actor, changes and comment, paged', async () => {
        const id = await processedPage();
        await fieldsOf(id, { fields: { totalAmount: 120 }, comment: 'paper copy' });
        await api.patch(`${PAGES}/${id}`, { pageType: 'summary' }, { headers: unnamed });
        await api.post(
          `${PAGES}/${id}/review`,
          { decision: 'approve', comment: 'ok' },
          { headers: alice },
        );

        const all = await api.get(`${PAGES}/${id}/history`, { headers: reader });
        expect(all.status).toBe(200);
        expect(all.body.total).toBe(4);
        expect(all.body.data.map((event: any) => event.type)).toEqual([
          'reviewed',
          'updated',
          'corrected',
          'created',
        ]);
        const [reviewed, updated, corrected, created] = all.body.data;
        expect(reviewed).toEqual({
          at: expect.any(String),
          actor: 'alice',
          type: 'reviewed',
          changes: [{ path: 'review.status', before: 'needed', after: 'approved' }],
          comment: 'ok',
        });
        expect(updated).toMatchObject({
          actor: sha256(UNNAMED_KEY).slice(0, 8),
          changes: [{ path: 'pageType', before: 'content', after: 'summary' }],
        });
        expect(corrected).toMatchObject({
          actor: 'alice',
          comment: 'paper copy',
          changes: [
            { path: 'extractedFields.totalAmount', before: 130, after: 120 },
            {
              path: 'extractionChecks.subtotalPlusTaxEqualsTotal.passed',
              before: false,
              after: true,
            },
          ],
        });
        expect(created.actor).toBe('alice');
        expect(created.changes).toEqual(
          expect.arrayContaining([{ path: 'pageNumber', before: null, after: 1 }]),
        );
        const times = all.body.data.map((event: any) => Date.parse(event.at));
        expect([...times].sort((a, b) => b - a)).toEqual(times);

        const window = await api.get(`${PAGES}/${id}/history?limit=2&offset=1`, {
          headers: reader,
        });
        expect(window.body).toMatchObject({ success: true, total: 4 });
        expect(window.body.data.map((event: any) => event.type)).toEqual(['updated', 'corrected']);
        expectError(
          await api.get(`${PAGES}/${id}/history?limit=0`, { headers: reader }),
          400,
          'VALIDATION_ERROR',
        );
        expectError(
          await api.get(`${PAGES}/${id}/history?offset=-1`, { headers: reader }),
          400,
          'VALIDATION_ERROR',
        );
      });

      it('outlives the deleted page (within the retention), which is gone everywhere else', async () => {
        const id = await processedPage();
        const page = await api.get(`${PAGES}/${id}`, { headers: alice });
        const deleted = await api.delete(`${PAGES}/${id}`, { headers: alice });
        expect(deleted.status).toBe(200);
        expectError(await api.get(`${PAGES}/${id}`, { headers: alice }), 404, 'NOT_FOUND');
        const list = await api.get(
          `${PAGES}?filter=${encodeURIComponent(JSON.stringify({ job: page.body.data.job }))}`,
          { headers: alice },
        );
        expect(list.body.total).toBe(0);
        // The page is removed, not only hidden: its job and pageNumber are free again.
        const again = await api.post(
          PAGES,
          buildCreatePageDto({ job: page.body.data.job, pageNumber: page.body.data.pageNumber }),
          { headers: alice },
        );
        expect(again.status).toBe(201);
        expect(
          await testApp.connection
            .collection(OCR_PAGES_COLLECTION)
            .countDocuments({ _id: new Types.ObjectId(id) }),
        ).toBe(0);

        const history = await api.get(`${PAGES}/${id}/history`, { headers: reader });
        expect(history.status).toBe(200);
        expect(history.body.data.map((event: any) => event.type)).toEqual(['deleted', 'created']);
        expect(history.body.data[0]).toMatchObject({ actor: 'alice', changes: [] });
      });

      it('keeps the history of the pages of a deleted job, which are removed with it', async () => {
        const job = await api.post(
          '/api/v1/ocr-invoice-jobs',
          { pageUrls: ['https://files.example.com/a.png', 'https://files.example.com/b.png'] },
          { headers: alice },
        );
        expect(job.status).toBe(201);
        const jobId: string = job.body.data._id;
        const pages = await api.get(`/api/v1/ocr-invoice-jobs/${jobId}/pages`, { headers: alice });
        const ids: string[] = pages.body.data.map((page: any) => page._id);
        expect(ids).toHaveLength(2);
        expect(
          (await api.delete(`/api/v1/ocr-invoice-jobs/${jobId}`, { headers: alice })).status,
        ).toBe(200);
        expect(
          await testApp.connection
            .collection(OCR_PAGES_COLLECTION)
            .countDocuments({ job: new Types.ObjectId(jobId) }),
        ).toBe(0);
        for (const id of ids) {
          expectError(await api.get(`${PAGES}/${id}`, { headers: alice }), 404, 'NOT_FOUND');
          const history = await api.get(`${PAGES}/${id}/history`, { headers: reader });
          expect(history.body.data.map((event: any) => [event.type, event.actor])).toEqual([
            ['deleted', 'system'],
            ['created', 'system'],
          ]);
        }
      });

      it('answers 404 for a page that never existed, 400 INVALID_ID, 401 without a key', async () => {
        expectError(
          await api.get(`${PAGES}/${new Types.ObjectId().toHexString()}/history`, {
            headers: reader,
          }),
          404,
          'NOT_FOUND',
        );
        expectError(await api.get(`${PAGES}/x/history`, { headers: reader }), 400, 'INVALID_ID');
        expectError(
          await api.get(`${PAGES}/${new Types.ObjectId().toHexString()}/history`),
          401,
          'UNAUTHORIZED',
        );
      });
    });

    describe('POST /api/v1/ocr-invoice-job-pages/:id/review', () => {
      it('approves and rejects, with who and when; the reasons stay', async () => {
        const id = await processedPage();
        const approved = await api.post(
          `${PAGES}/${id}/review`,
          { decision: 'approve' },
          { headers: alice },
        );
        expect(approved.status).toBe(200);
        expect(approved.body.data.review).toEqual({
          status: 'approved',
          reasons: PROCESSED.review.reasons,
          reviewedAt: expect.any(String),
          reviewedBy: 'alice',
        });
        const rejected = await api.post(
          `${PAGES}/${id}/review`,
          { decision: 'reject', comment: 'wrong vendor' },
          { headers: { ...unnamed, 'if-match': approved.headers.get('etag')! } },
        );
        expect(rejected.body.data.review).toMatchObject({
          status: 'rejected',
          reviewedBy: sha256(UNNAMED_KEY).slice(0, 8),
        });
      });

      it('refuses a bad decision (400), a stale ETag (412), an unprocessed page (409), a read key (403)', async () => {
        const id = await processedPage();
        expectError(
          await api.post(`${PAGES}/${id}/review`, { decision: 'maybe' }, { headers: alice }),
          400,
          'VALIDATION_ERROR',
          [{ field: 'decision', message: expect.any(String) }],
        );
        expectError(
          await api.post(
            `${PAGES}/${id}/review`,
            { decision: 'approve' },
            { headers: { ...alice, 'if-match': '"77"' } },
          ),
          412,
          'PRECONDITION_FAILED',
        );
        expectError(
          await api.post(`${PAGES}/${id}/review`, { decision: 'approve' }, { headers: reader }),
          403,
          'FORBIDDEN',
        );
        const pending = await api.post(PAGES, buildCreatePageDto(), { headers: alice });
        expectError(
          await api.post(
            `${PAGES}/${pending.body.data._id}/review`,
            { decision: 'approve' },
            { headers: alice },
          ),
          409,
          'CONFLICT',
        );
      });

      it('lists pages by review.status', async () => {
        const job = new Types.ObjectId();
        const needed = await processedPage({ job });
        const fine = await processedPage({
          job,
          pageNumber: 2,
          review: { status: 'not_needed', reasons: [] },
        });
        const filter = (status: string) =>
          api.get(
            `${PAGES}?filter=${encodeURIComponent(JSON.stringify({ job: job.toHexString(), 'review.status': status }))}`,
            { headers: reader },
          );
        expect((await filter('needed')).body.data.map((page: any) => page._id)).toEqual([needed]);
        expect((await filter('not_needed')).body.data.map((page: any) => page._id)).toEqual([fine]);
        expectError(await filter('maybe'), 400, 'INVALID_FILTER');
      });
    });
  });

  describe('in open mode, with HISTORY_RETENTION_DAYS=0', () => {
    const { api } = useTestApp({ HISTORY_RETENTION_DAYS: '0' });

    it('records corrections and changes as "anonymous"', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const id = created.body.data._id;
      const res = await api.patch(`${PAGES}/${id}/fields`, { fields: { invoiceNumber: 'A-1' } });
      expect(res.status).toBe(200);
      expect(res.body.data.extractedFields.invoiceNumber).toMatchObject({
        value: 'A-1',
        correctedBy: 'anonymous',
        ocrValue: null,
      });
      const history = await api.get(`${PAGES}/${id}/history`);
      expect(history.body.data.map((event: any) => [event.type, event.actor])).toEqual([
        ['corrected', 'anonymous'],
        ['created', 'anonymous'],
      ]);
    });

    it('drops the history with the page when the retention is 0 days', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const id = created.body.data._id;
      expect((await api.get(`${PAGES}/${id}/history`)).body.total).toBe(1);
      await api.delete(`${PAGES}/${id}`);
      expectError(await api.get(`${PAGES}/${id}/history`), 404, 'NOT_FOUND');
    });
  });
});
