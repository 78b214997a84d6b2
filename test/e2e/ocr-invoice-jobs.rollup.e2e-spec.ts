import { Types } from 'mongoose';
import { PageProcessingPort } from '../../src/modules/ocr-pages/page-processing.port.js';
import type { CompletedPage } from '../../src/modules/ocr-pages/page-processing.port.js';
import { expectError } from '../support/expect-error.js';
import { buildCreateJobDto, JOBS } from '../support/fixtures/jobs.js';
import { OCR_PAGES_COLLECTION, PAGES } from '../support/fixtures/pages.js';
import { useTestApp } from '../support/test-app.js';

/** What a worker stores for a finished page (the figures do not matter here). */
const OUTPUT: CompletedPage = {
  completedAt: new Date(),
  processingTime: 1,
  imageProperties: { width: 10, height: 10, dpi: 300, size: 100 },
  preprocessing: {
    enhanced: false,
    deskewed: false,
    denoised: false,
    binarized: false,
    rotationAngle: 0,
  },
  ocrResults: { text: 'x', confidence: 0.9, words: [], blocks: [] },
  extractedFields: {},
  tableData: [],
  qualityScore: 0.9,
  extractionChecks: [],
};
const FAILED = { errorLog: 'broken', retryCount: 0, completedAt: new Date(), processingTime: 1 };

/**
 * The job's status and pageCounts follow its pages, whether they change through the worker's
 * port or the pages API, also when many change at once. The app runs no worker of its own: the
 * test drives the worker's port (claim, complete, fail, release) itself.
 */
describe('job roll-up of page changes', () => {
  const { testApp, api } = useTestApp();
  const port = () => testApp.app.get(PageProcessingPort);

  async function createJob(pages: number): Promise<string> {
    const pageUrls = Array.from({ length: pages }, (_, i) => `https://f.example.com/${i + 1}.png`);
    const res = await api.post(JOBS, buildCreateJobDto({ pageUrls }));
    expect(res.status).toBe(201);
    return res.body.data._id;
  }

  /** Claims every queued page (of any job) for `owner`; the claimed pages. */
  async function claimAll(owner: string): Promise<Array<{ id: string; job: string }>> {
    const claimed: Array<{ id: string; job: string }> = [];
    for (;;) {
      const page = await port().claimNext(owner, 60_000, new Date());
      if (!page) {
        return claimed;
      }
      claimed.push({ id: String(page._id), job: String(page.job) });
    }
  }

  /** The counts of the job's pages by status, as the pages list shows them. */
  async function actualCounts(job: string): Promise<Record<string, number>> {
    const res = await api.get(`${JOBS}/${job}/pages?limit=100&fields=status`);
    const counts: Record<string, number> = { pending: 0, processing: 0, completed: 0, failed: 0 };
    for (const page of res.body.data as Array<{ status: string }>) {
      counts[page.status] += 1;
    }
    return counts;
  }

  it('is exact after concurrent completions and failures through the worker port', async () => {
    const job = await createJob(30);
    const claimed = (await claimAll('worker-a')).filter((page) => page.job === job);
    expect(claimed).toHaveLength(30);
    expect((await api.get(`${JOBS}/${job}`)).body.data).toMatchObject({
      status: 'processing',
      pageCounts: { pending: 0, processing: 30, completed: 0, failed: 0 },
    });

    const results = await Promise.all(
      claimed.map((page, i) =>
        i % 3 === 0
          ? port().fail(page.id, 'worker-a', FAILED)
          : port().complete(page.id, 'worker-a', OUTPUT),
      ),
    );
    expect(results.every(Boolean)).toBe(true);

    const res = await api.get(`${JOBS}/${job}`);
    expect(res.body.data).toMatchObject({
      status: 'partial',
      pageCount: 30,
      pageCounts: { pending: 0, processing: 0, completed: 20, failed: 10 },
      completedAt: expect.any(String),
    });
    expect(await actualCounts(job)).toEqual(res.body.data.pageCounts);
  });

  it('is exact when the worker and the pages API change pages at the same time', async () => {
    const job = await createJob(24);
    const claimed = (await claimAll('worker-b')).filter((page) => page.job === job);
    const pages = (await api.get(`${JOBS}/${job}/pages?limit=100`)).body.data as Array<{
      _id: string;
    }>;
    await Promise.all([
      // The worker finishes its pages ...
      ...claimed.map((page) => port().complete(page.id, 'worker-b', OUTPUT)),
      // ... while clients give some of them a new image (back to pending) and delete others.
      ...pages
        .slice(0, 6)
        .map((page, i) =>
          api.patch(`${PAGES}/${page._id}`, { pageUrl: `https://f.example.com/new-${i}.png` }),
        ),
      ...pages.slice(6, 9).map((page) => api.delete(`${PAGES}/${page._id}`)),
    ]);
    const counts = await actualCounts(job);
    const res = (await api.get(`${JOBS}/${job}`)).body.data;
    expect(res.pageCounts).toEqual(counts);
    expect(res.pageCount).toBe(21);
    expect(counts.pending + counts.completed).toBe(21);
    expect(counts.pending).toBe(6);
    expect(res.status).toBe('processing');
  });

  it('goes pending → processing → completed, and back to processing when a page is re-queued', async () => {
    const job = await createJob(2);
    expect((await api.get(`${JOBS}/${job}`)).body.data.status).toBe('pending');
    const claimed = (await claimAll('worker-c')).filter((page) => page.job === job);
    await port().complete(claimed[0].id, 'worker-c', OUTPUT);
    expect((await api.get(`${JOBS}/${job}`)).body.data.status).toBe('processing');
    await port().complete(claimed[1].id, 'worker-c', OUTPUT);
    const done = (await api.get(`${JOBS}/${job}`)).body.data;
    expect(done).toMatchObject({ status: 'completed', completedAt: expect.any(String) });

    expect((await api.post(`${PAGES}/${claimed[0].id}/process`)).status).toBe(202);
    const requeued = (await api.get(`${JOBS}/${job}`)).body.data;
    expect(requeued.status).toBe('processing');
    expect(requeued.pageCounts).toEqual({ pending: 1, processing: 0, completed: 1, failed: 0 });
    expect(requeued).not.toHaveProperty('completedAt');
  });

  it('a released page (worker stopping) is pending again; all failed pages make a failed job', async () => {
    const job = await createJob(2);
    const claimed = (await claimAll('worker-d')).filter((page) => page.job === job);
    await port().release(claimed[0].id, 'worker-d');
    expect((await api.get(`${JOBS}/${job}`)).body.data.pageCounts).toEqual({
      pending: 1,
      processing: 1,
      completed: 0,
      failed: 0,
    });
    const again = (await claimAll('worker-e')).filter((page) => page.job === job);
    await port().fail(again[0].id, 'worker-e', FAILED);
    await port().fail(claimed[1].id, 'worker-d', FAILED);
    expect((await api.get(`${JOBS}/${job}`)).body.data.status).toBe('failed');
  });

  it('deleting a job deletes its pages, and a worker finishing one of them does not bring it back', async () => {
    const job = await createJob(3);
    const claimed = (await claimAll('worker-f')).filter((page) => page.job === job);
    expect((await api.delete(`${JOBS}/${job}`)).status).toBe(200);

    expect(await port().complete(claimed[0].id, 'worker-f', OUTPUT)).toBe(false);
    expect(await port().fail(claimed[1].id, 'worker-f', FAILED)).toBe(false);
    expect(await port().release(claimed[2].id, 'worker-f')).toBe(false);
    expectError(await api.get(`${PAGES}/${claimed[0].id}`), 404, 'NOT_FOUND');
    const left = await testApp.connection
      .collection(OCR_PAGES_COLLECTION)
      .countDocuments({ _id: { $in: claimed.map((p) => new Types.ObjectId(p.id)) } });
    expect(left).toBe(0);
    expectError(await api.get(`${JOBS}/${job}`), 404, 'NOT_FOUND');
  });
});
