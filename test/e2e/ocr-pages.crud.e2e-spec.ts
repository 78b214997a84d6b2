import { expectError } from '../support/expect-error.js';
import { useTestApp } from '../support/test-app.js';
import { Types } from 'mongoose';
import {
  buildCreatePageDto,
  objectId,
  PAGES,
  OCR_PAGES_COLLECTION,
} from '../support/fixtures/pages.js';

describe('OCR pages CRUD', () => {
  const { testApp, api } = useTestApp();

  /** Writes what only processing may write, straight into the collection. */
  async function seedProcessingOutput(id: string): Promise<void> {
    await testApp.connection.collection(OCR_PAGES_COLLECTION).updateOne(
      { _id: new Types.ObjectId(id) },
      {
        $set: {
          status: 'completed',
          imageProperties: {
            width: 2480,
            height: 3508,
            dpi: 300,
            colorSpace: 'rgb',
            format: 'png',
            size: 1234,
          },
          preprocessing: {
            enhanced: true,
            deskewed: true,
            denoised: true,
            binarized: true,
            rotationAngle: 0,
          },
          ocrResults: { text: 'INVOICE 42', confidence: 0.9, words: [], blocks: [] },
          extractedFields: { invoiceNumber: { value: '42', confidence: 0.9 } },
          tableData: [{ rowIndex: 0, columnIndex: 0, cellText: 'Item', confidence: 0.8 }],
          processingTime: 1200,
          startedAt: new Date('2026-01-01T00:00:00Z'),
          completedAt: new Date('2026-01-01T00:00:01Z'),
          qualityScore: 0.8,
        },
      },
    );
  }

  describe('POST /api/v1/ocr-invoice-job-pages', () => {
    it('creates a page with defaults, timestamps, ETag and Location, and no internal fields', async () => {
      const dto = buildCreatePageDto({
        annotations: [{ type: 'note', text: 'check total' }],
        metadata: { source: 'scanner-3', nested: { a: [1, 2] } },
      });
      const before = Date.now();
      const res = await api.post(PAGES, dto);

      expect(res.status).toBe(201);
      expect(res.body.success).toBe(true);
      const page = res.body.data;
      expect(page).toMatchObject({
        job: dto.job,
        pageNumber: 1,
        pageUrl: dto.pageUrl,
        status: 'pending',
        pageType: 'content',
        retryCount: 0,
        metadata: { source: 'scanner-3', nested: { a: [1, 2] } },
      });
      expect(page._id).toMatch(/^[0-9a-f]{24}$/);
      expect(new Date(page.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(page.updatedAt).toBe(page.createdAt);
      expect(page.annotations).toHaveLength(1);
      expect(page.annotations[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      for (const internal of ['__v', 'revision', 'id']) {
        expect(page).not.toHaveProperty(internal);
      }
      for (const unset of ['ocrResults', 'preprocessing', 'extractedFields', 'startedAt']) {
        expect(page).not.toHaveProperty(unset);
      }
      expect(res.headers.get('etag')).toMatch(/^"\d+"$/);
      expect(res.headers.get('location')).toBe(`${PAGES}/${page._id}`);
    });

    it('keeps the annotation createdAt it is given', async () => {
      const res = await api.post(
        PAGES,
        buildCreatePageDto({ annotations: [{ type: 'flag', createdAt: '2019-08-24T14:15:22Z' }] }),
      );
      expect(res.status).toBe(201);
      expect(res.body.data.annotations[0].createdAt).toBe('2019-08-24T14:15:22.000Z');
    });

    it('answers 409 CONFLICT for a second page with the same job and pageNumber', async () => {
      const dto = buildCreatePageDto({ pageNumber: 3 });
      expect((await api.post(PAGES, dto)).status).toBe(201);
      const res = await api.post(PAGES, { ...dto, pageUrl: 'https://other.example.com/p.png' });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        success: false,
        error: {
          code: 'CONFLICT',
          message: 'A page with this job and pageNumber already exists',
          details: [],
          requestId: expect.any(String),
        },
      });
      const list = await api.get(`${PAGES}?limit=100`);
      expect(list.body.data.filter((p: { job: string }) => p.job === dto.job)).toHaveLength(1);
    });
  });

  describe('GET /api/v1/ocr-invoice-job-pages/:id', () => {
    it('returns the page with its ETag', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const res = await api.get(`${PAGES}/${created.body.data._id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: created.body.data });
      expect(res.headers.get('etag')).toBe(created.headers.get('etag'));
    });

    it('returns 404 NOT_FOUND for an unknown id', async () => {
      const res = await api.get(`${PAGES}/${objectId()}`);
      expectError(res, 404, 'NOT_FOUND');
      expect(res.body.error.message).toBe('OCR invoice job page not found');
    });

    it.each(['123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '60f7b1b3e4b0e8b3f8b3f8b3a', "1' OR '1'='1"])(
      'returns 400 INVALID_ID for id %j',
      async (id) => {
        const res = await api.get(`${PAGES}/${encodeURIComponent(id)}`);
        expectError(res, 400, 'INVALID_ID');
      },
    );
  });

  describe('PUT /api/v1/ocr-invoice-job-pages/:id', () => {
    it('replaces the writable fields and clears omitted optional ones', async () => {
      const created = await api.post(
        PAGES,
        buildCreatePageDto({
          pageType: 'cover',
          annotations: [{ type: 'note' }],
          metadata: { a: 1 },
          imageProperties: { dpi: 300 },
        }),
      );
      const id = created.body.data._id;
      const replacement = { job: objectId(), pageNumber: 7, pageUrl: created.body.data.pageUrl };
      const res = await api.put(`${PAGES}/${id}`, replacement);

      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ ...replacement, pageType: 'content', _id: id });
      for (const cleared of ['annotations', 'metadata', 'imageProperties']) {
        expect(res.body.data).not.toHaveProperty(cleared);
      }
      expect(res.body.data.createdAt).toBe(created.body.data.createdAt);
      expect(res.headers.get('etag')).not.toBe(created.headers.get('etag'));
      expect((await api.get(`${PAGES}/${id}`)).body.data).toEqual(res.body.data);
    });

    it('resets the page to pending and clears its processing output when pageUrl changes', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const id = created.body.data._id;
      await seedProcessingOutput(id);
      const res = await api.put(`${PAGES}/${id}`, {
        job: created.body.data.job,
        pageNumber: 1,
        pageUrl: 'https://files.example.com/another.png',
      });
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe('pending');
      expect(res.body.data.retryCount).toBe(0);
      for (const cleared of [
        'imageProperties',
        'preprocessing',
        'ocrResults',
        'extractedFields',
        'tableData',
        'processingTime',
        'startedAt',
        'completedAt',
        'qualityScore',
      ]) {
        expect(res.body.data).not.toHaveProperty(cleared);
      }
    });

    it('keeps processing output when pageUrl stays the same', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const id = created.body.data._id;
      await seedProcessingOutput(id);
      const res = await api.put(`${PAGES}/${id}`, {
        job: created.body.data.job,
        pageNumber: 2,
        pageUrl: created.body.data.pageUrl,
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'completed', pageNumber: 2 });
      expect(res.body.data.ocrResults.text).toBe('INVOICE 42');
    });

    it('requires every required field', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const res = await api.put(`${PAGES}/${created.body.data._id}`, { pageNumber: 2 });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'job',
        'pageUrl',
        'pageUrl',
      ]);
    });

    it('answers 409 when the new (job, pageNumber) belongs to another page', async () => {
      const first = await api.post(PAGES, buildCreatePageDto());
      const second = await api.post(PAGES, buildCreatePageDto());
      const res = await api.put(`${PAGES}/${second.body.data._id}`, {
        job: first.body.data.job,
        pageNumber: first.body.data.pageNumber,
        pageUrl: second.body.data.pageUrl,
      });
      expectError(res, 409, 'CONFLICT');
    });

    it('returns 404 for an unknown id', async () => {
      const res = await api.put(`${PAGES}/${objectId()}`, buildCreatePageDto());
      expectError(res, 404, 'NOT_FOUND');
    });
  });

  describe('PATCH /api/v1/ocr-invoice-job-pages/:id', () => {
    it('changes only the fields sent', async () => {
      const created = await api.post(
        PAGES,
        buildCreatePageDto({ metadata: { a: 1 }, annotations: [{ type: 'note' }] }),
      );
      const id = created.body.data._id;
      const res = await api.patch(`${PAGES}/${id}`, { pageType: 'summary', metadata: { b: 2 } });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        ...created.body.data,
        pageType: 'summary',
        metadata: { b: 2 },
        updatedAt: expect.any(String),
      });
      expect(new Date(res.body.data.updatedAt).getTime()).toBeGreaterThanOrEqual(
        new Date(created.body.data.updatedAt).getTime(),
      );
    });

    it('resets processing output when pageUrl changes, and keeps it otherwise', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const id = created.body.data._id;
      await seedProcessingOutput(id);

      const same = await api.patch(`${PAGES}/${id}`, { pageUrl: created.body.data.pageUrl });
      expect(same.body.data.status).toBe('completed');

      const changed = await api.patch(`${PAGES}/${id}`, {
        pageUrl: 'https://files.example.com/new.png',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.data.status).toBe('pending');
      expect(changed.body.data).not.toHaveProperty('ocrResults');
      expect(changed.body.data).not.toHaveProperty('imageProperties');
    });

    it('answers an empty patch with the unchanged page', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const res = await api.patch(`${PAGES}/${created.body.data._id}`, {});
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(created.body.data);
      expect(res.headers.get('etag')).toBe(created.headers.get('etag'));
    });

    it('rejects null for a required field instead of storing it', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const res = await api.patch(`${PAGES}/${created.body.data._id}`, {
        job: null,
        pageType: null,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'job',
        'pageType',
      ]);
      expect((await api.get(`${PAGES}/${created.body.data._id}`)).body.data.job).toBe(
        created.body.data.job,
      );
    });

    it('returns 404 for an unknown id and 400 INVALID_ID for a bad one', async () => {
      expect((await api.patch(`${PAGES}/${objectId()}`, { pageType: 'cover' })).status).toBe(404);
      const bad = await api.patch(`${PAGES}/nope`, { pageType: 'cover' });
      expectError(bad, 400, 'INVALID_ID');
    });
  });

  describe('DELETE /api/v1/ocr-invoice-job-pages/:id', () => {
    it('returns the deleted page, after which it is gone', async () => {
      const created = await api.post(PAGES, buildCreatePageDto());
      const id = created.body.data._id;
      const res = await api.delete(`${PAGES}/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: created.body.data });
      expect((await api.get(`${PAGES}/${id}`)).status).toBe(404);
      expect((await api.delete(`${PAGES}/${id}`)).status).toBe(404);
    });

    it('returns 400 INVALID_ID for a bad id', async () => {
      const res = await api.delete(`${PAGES}/xyz`);
      expectError(res, 400, 'INVALID_ID');
    });
  });
});
