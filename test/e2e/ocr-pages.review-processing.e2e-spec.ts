import { Webhook as StandardWebhook } from 'standardwebhooks';
import { renderFixture, SMALL_SET, type RenderedFixture } from '../../corpus/fixture-set.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const WEBHOOKS = '/api/v1/webhooks';

/**
 * A real invoice image through the real OCR: the review set when processing completes,
 * corrections that survive reprocessing, and the page events webhooks receive.
 */
describe('review and corrections through processing', () => {
  let receiver: WebhookReceiver;
  let files: FixtureServer;
  let fixture: RenderedFixture;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    fixture = await renderFixture(SMALL_SET.find((f) => f.name === 'classic-sans-en-png-200')!);
    files = await startFixtureServer({
      [fixture.fileName]: { body: fixture.image, contentType: fixture.contentType },
    });
  });

  const { api } = useTestApp({
    PROCESSING_ENABLED: 'true',
    PROCESSING_POLL_INTERVAL_MS: '100',
    FETCH_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_POLL_INTERVAL_MS: '50',
    HISTORY_RELAY_INTERVAL_MS: '100',
    // Every page needs review: the quality score of a real page is below 1.
    REVIEW_QUALITY_THRESHOLD: '1',
  });

  afterAll(async () => {
    await files.close();
    await receiver.close();
  });

  /** Waits until the page is completed with a completedAt other than `previous`. */
  async function completed(id: string, previous?: string): Promise<any> {
    return waitUntil(
      async () => {
        const page = (await api.get(`${PAGES}/${id}`)).body.data;
        return page.status === 'completed' && page.completedAt !== previous ? page : undefined;
      },
      90_000,
      150,
    );
  }

  it('sets the review, keeps corrections through POST /process, and sends the page events signed', async () => {
    const hook = await api.post(WEBHOOKS, {
      url: receiver.url,
      events: ['page.completed', 'page.review_required', 'page.corrected'],
    });
    expect(hook.status).toBe(201);
    const secret: string = hook.body.data.secret;

    const created = await api.post(
      PAGES,
      buildCreatePageDto({ pageUrl: files.url(fixture.fileName) }),
    );
    const id: string = created.body.data._id;
    const first = await completed(id);

    // Read by OCR, reviewed by nobody yet; needed because of the quality threshold.
    expect(first.extractedFields.invoiceNumber).toMatchObject({
      value: fixture.truth.invoiceNumber,
      source: 'ocr',
    });
    expect(first.review.status).toBe('needed');
    expect(first.review.reasons).toContain('lowQuality');
    const listed = await api.get(
      `${PAGES}?filter=${encodeURIComponent(JSON.stringify({ job: first.job, 'review.status': 'needed' }))}`,
    );
    expect(listed.body.data.map((page: any) => page._id)).toEqual([id]);

    // A person corrects two fields; the others stay as read.
    const corrected = await api.patch(`${PAGES}/${id}/fields`, {
      fields: { invoiceNumber: 'CORRECTED-7', totalAmount: fixture.truth.totalAmount + 1 },
      comment: 'checked against the order',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.data.extractedFields.invoiceNumber).toMatchObject({
      value: 'CORRECTED-7',
      source: 'review',
      ocrValue: fixture.truth.invoiceNumber,
      correctedBy: 'anonymous',
    });
    // The corrected total no longer equals subtotal + tax: the check says so.
    const sum = corrected.body.data.extractionChecks.find(
      (check: any) => check.name === 'subtotalPlusTaxEqualsTotal',
    );
    expect(sum.passed).toBe(false);

    // Reprocessing reads the page again: the corrections stay, ocrValue is the new reading.
    const requeued = await api.post(`${PAGES}/${id}/process`, {});
    expect(requeued.status).toBe(202);
    const second = await completed(id, first.completedAt);
    expect(second.extractedFields.invoiceNumber).toMatchObject({
      value: 'CORRECTED-7',
      confidence: 1,
      source: 'review',
      ocrValue: fixture.truth.invoiceNumber,
      correctedAt: corrected.body.data.extractedFields.invoiceNumber.correctedAt,
    });
    expect(second.extractedFields.totalAmount).toMatchObject({
      value: fixture.truth.totalAmount + 1,
      ocrValue: fixture.truth.totalAmount,
    });
    expect(second.extractedFields.vendorName.source).toBe('ocr');
    expect(second.review.reasons).toContain('failedCheck:total');

    const history = await api.get(`${PAGES}/${id}/history`);
    expect(history.body.data.map((event: any) => [event.type, event.actor])).toEqual([
      ['processed', 'system'],
      ['updated', 'anonymous'],
      ['corrected', 'anonymous'],
      ['processed', 'system'],
      ['created', 'anonymous'],
    ]);

    // The receiver hears every event once, each signed: completed twice, review_required
    // twice, corrected once.
    const deliveries = await waitUntil(
      () => (receiver.received.length >= 5 ? receiver.received : undefined),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(5);
    const bodies = deliveries.map((delivery) => {
      expect(() =>
        new StandardWebhook(secret).verify(
          delivery.body,
          delivery.headers as Record<string, string>,
        ),
      ).not.toThrow();
      return JSON.parse(delivery.body);
    });
    expect(bodies.map((body) => body.type).sort()).toEqual([
      'page.completed',
      'page.completed',
      'page.corrected',
      'page.review_required',
      'page.review_required',
    ]);
    expect(new Set(deliveries.map((d) => d.headers['webhook-id'])).size).toBe(5);
    const correctedBody = bodies.find((body) => body.type === 'page.corrected');
    expect(correctedBody.data).toEqual({
      pageId: id,
      jobId: first.job,
      pageNumber: first.pageNumber,
      status: 'completed',
      fields: 'invoiceNumber,totalAmount',
    });
    const review = bodies.find((body) => body.type === 'page.review_required');
    expect(review.data).toMatchObject({ pageId: id, status: 'completed' });
    expect(review.data.reasons).toContain('lowQuality');
  });

  it('records a page that fails for good as failed in its history', async () => {
    const created = await api.post(PAGES, buildCreatePageDto({ pageUrl: receiver.missingPageUrl }));
    const id: string = created.body.data._id;
    const history = await waitUntil(async () => {
      const res = await api.get(`${PAGES}/${id}/history`);
      return res.body.data[0]?.type === 'failed' ? res.body.data : undefined;
    }, 30_000);
    expect(history[0]).toMatchObject({
      actor: 'system',
      changes: [
        { path: 'status', before: 'processing', after: 'failed' },
        { path: 'errorLog', before: null, after: expect.stringContaining('404') },
      ],
    });
  });
});
