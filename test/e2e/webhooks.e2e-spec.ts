import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';
import { client, type Client } from '../support/http.js';
import { waitUntil } from '../support/wait.js';
import { WebhookReceiver, type ReceivedDelivery } from '../support/webhook-receiver.js';

const WEBHOOKS = '/api/v1/webhooks';
const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const ADMIN_KEY = 'webhooks-admin-key';
const WRITE_KEY = 'webhooks-write-key';
const API_KEYS = [`${sha256(ADMIN_KEY)}:admin`, `${sha256(WRITE_KEY)}:read+write`].join(',');
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

/** The signature a receiver computes by hand from the Standard Webhooks specification. */
function expectedSignature(secret: string, delivery: ReceivedDelivery): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const id = String(delivery.headers['webhook-id']);
  const timestamp = String(delivery.headers['webhook-timestamp']);
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${delivery.body}`);
  return `v1,${mac.digest('base64')}`;
}

function deliveriesOf(api: Client, webhookId: string) {
  return api.get(`${WEBHOOKS}/${webhookId}/deliveries`, { headers: admin });
}

describe('webhooks', () => {
  describe('/api/v1/webhooks (admin API)', () => {
    let testApp: TestApp;
    let api: Client;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
      testApp = await createTestApp({ API_KEYS, FETCH_ALLOWED_HOSTS: '127.0.0.1' });
      api = client(testApp.baseUrl);
    });

    afterAll(async () => {
      await testApp.close();
      await receiver.close();
    });

    it('needs the admin scope: 401 without a key, 403 with a write key', async () => {
      const body = { url: receiver.url, events: ['page.completed'] };
      expect((await api.post(WEBHOOKS, body)).status).toBe(401);
      const forbidden = await api.post(WEBHOOKS, body, {
        headers: { authorization: `Bearer ${WRITE_KEY}` },
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('FORBIDDEN');
      const list = await api.get(WEBHOOKS, { headers: { authorization: `Bearer ${WRITE_KEY}` } });
      expect(list.status).toBe(403);
    });

    it('creates a webhook and shows its secret only in the create response', async () => {
      const created = await api.post(
        WEBHOOKS,
        { url: receiver.url, events: ['page.completed', 'page.failed'], description: 'ERP' },
        { headers: admin },
      );
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({
        url: receiver.url,
        events: ['page.completed', 'page.failed'],
        description: 'ERP',
      });
      expect(created.body.data.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const id = created.body.data._id;

      const fetched = await api.get(`${WEBHOOKS}/${id}`, { headers: admin });
      expect(fetched.status).toBe(200);
      expect(fetched.body.data).not.toHaveProperty('secret');
      expect(fetched.body.data._id).toBe(id);

      const list = await api.get(`${WEBHOOKS}?limit=100`, { headers: admin });
      expect(list.status).toBe(200);
      const listed = list.body.data.find((webhook: { _id: string }) => webhook._id === id);
      expect(listed).toBeDefined();
      expect(listed).not.toHaveProperty('secret');
      expect(JSON.stringify(list.body)).not.toContain(created.body.data.secret);
    });

    it.each([
      ['no url', { events: ['page.completed'] }, 'url'],
      ['no events', { url: 'https://erp.example.com/hooks' }, 'events'],
      ['an empty event list', { url: 'https://erp.example.com/hooks', events: [] }, 'events'],
      [
        'an unknown event',
        { url: 'https://erp.example.com/hooks', events: ['page.exploded'] },
        'events',
      ],
      [
        'an event twice',
        { url: 'https://erp.example.com/hooks', events: ['page.failed', 'page.failed'] },
        'events',
      ],
      ['a non-http url', { url: 'ftp://erp.example.com/hooks', events: ['page.failed'] }, 'url'],
      ['a private address', { url: 'http://10.0.0.7/hooks', events: ['page.failed'] }, 'url'],
      [
        'a loopback name not allowed',
        { url: 'http://localhost:9/hooks', events: ['page.failed'] },
        'url',
      ],
      [
        'an IPv4-mapped private address',
        { url: 'http://[::ffff:192.168.1.1]/hooks', events: ['page.failed'] },
        'url',
      ],
      [
        'credentials in the url',
        { url: 'http://user:pw@127.0.0.1/hooks', events: ['page.failed'] },
        'url',
      ],
      [
        'an unknown property',
        { url: 'https://a.example.com', events: ['page.failed'], secret: 'x' },
        'secret',
      ],
    ])('refuses %s with 400 VALIDATION_ERROR naming the field', async (_, body, field) => {
      const res = await api.post(WEBHOOKS, body, { headers: admin });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('answers 404 for an unknown webhook and 400 INVALID_ID for a malformed id', async () => {
      const missing = '0123456789abcdef01234567';
      for (const path of [`${WEBHOOKS}/${missing}`, `${WEBHOOKS}/${missing}/deliveries`]) {
        const res = await api.get(path, { headers: admin });
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
      expect((await api.delete(`${WEBHOOKS}/${missing}`, { headers: admin })).status).toBe(404);
      const bad = await api.get(`${WEBHOOKS}/nope`, { headers: admin });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('INVALID_ID');
    });

    it('deletes a webhook', async () => {
      const created = await api.post(
        WEBHOOKS,
        { url: receiver.url, events: ['job.completed'] },
        { headers: admin },
      );
      const id = created.body.data._id;
      const deleted = await api.delete(`${WEBHOOKS}/${id}`, { headers: admin });
      expect(deleted.status).toBe(200);
      expect(deleted.body.data._id).toBe(id);
      expect((await api.get(`${WEBHOOKS}/${id}`, { headers: admin })).status).toBe(404);
    });
  });

  describe('deliveries', () => {
    let testApp: TestApp;
    let api: Client;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
      testApp = await createTestApp({
        PROCESSING_ENABLED: 'true',
        PROCESSING_POLL_INTERVAL_MS: '100',
        FETCH_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_RETRY_BASE_MS: '200',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        WEBHOOK_MAX_ATTEMPTS: '3',
      });
      api = client(testApp.baseUrl);
    });

    afterAll(async () => {
      await testApp.close();
      await receiver.close();
    });

    it('signs every attempt, retries a failing receiver with backoff and the same webhook-id', async () => {
      receiver.answer([500, 503, 204]);
      const hook = await api.post(WEBHOOKS, { url: receiver.url, events: ['page.failed'] });
      expect(hook.status).toBe(201);
      const secret: string = hook.body.data.secret;

      // A page whose image answers 404 fails for good: the page.failed event.
      const page = await api.post(PAGES, buildCreatePageDto({ pageUrl: receiver.missingPageUrl }));
      const pageId = page.body.data._id;

      const delivery = await waitUntil(async () => {
        const res = await deliveriesOf(api, hook.body.data._id);
        return res.body.data[0]?.status === 'delivered' ? res.body.data[0] : undefined;
      }, 30_000);
      expect(delivery).toMatchObject({ event: 'page.failed', attempts: 3, lastStatusCode: 204 });
      expect(delivery).not.toHaveProperty('nextAttemptAt');

      expect(receiver.received).toHaveLength(3);
      const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      expect([...ids]).toEqual([delivery.messageId]);
      for (const attempt of receiver.received) {
        expect(attempt.headers['content-type']).toBe('application/json');
        expect(attempt.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
        // Verified twice: by the specification's reference library and by hand.
        expect(() =>
          new StandardWebhook(secret).verify(
            attempt.body,
            attempt.headers as Record<string, string>,
          ),
        ).not.toThrow();
        expect(attempt.headers['webhook-signature']).toBe(expectedSignature(secret, attempt));
        expect(JSON.parse(attempt.body)).toEqual({
          type: 'page.failed',
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          data: { pageId, jobId: page.body.data.job, pageNumber: 1, status: 'failed' },
        });
      }
      // Backoff: 200 ms, then 400 ms.
      const [first, second, third] = receiver.received.map((r) => r.at);
      expect(second - first).toBeGreaterThanOrEqual(190);
      expect(third - second).toBeGreaterThanOrEqual(390);
    });

    it('marks a delivery failed after WEBHOOK_MAX_ATTEMPTS and shows the last status', async () => {
      receiver.answer([500]);
      const before = receiver.received.length;
      const hook = await api.post(WEBHOOKS, { url: receiver.url, events: ['page.failed'] });
      await api.post(PAGES, buildCreatePageDto({ pageUrl: receiver.missingPageUrl }));
      const delivery = await waitUntil(async () => {
        const res = await deliveriesOf(api, hook.body.data._id);
        return res.body.data[0]?.status === 'failed' ? res.body.data[0] : undefined;
      }, 30_000);
      expect(delivery).toMatchObject({
        event: 'page.failed',
        attempts: 3,
        lastStatusCode: 500,
        lastError: 'receiver answered 500',
      });
      // Three attempts to this webhook (the other one, from the test before, is subscribed too).
      const mine = receiver.received
        .slice(before)
        .filter((r) => r.headers['webhook-id'] === delivery.messageId);
      expect(mine).toHaveLength(3);
    });

    it('sends nothing for events a webhook did not subscribe to', async () => {
      receiver.answer([200]);
      const hook = await api.post(WEBHOOKS, { url: receiver.url, events: ['job.completed'] });
      await api.post(PAGES, buildCreatePageDto({ pageUrl: receiver.missingPageUrl }));
      // The page fails (others' deliveries go out); this webhook gets none.
      await waitUntil(async () => {
        const res = await api.get(`${PAGES}?filter=${encodeURIComponent('{"status":"failed"}')}`);
        return res.body.total >= 3 ? true : undefined;
      }, 30_000);
      const res = await deliveriesOf(api, hook.body.data._id);
      expect(res.body.total).toBe(0);
    });
  });

  describe('a delivery that outlives a restart', () => {
    let testApp: TestApp;
    let api: Client;
    let receiver: WebhookReceiver;
    const workers: ChildProcess[] = [];

    /** A stand-alone worker process (`npm run worker`): it sends deliveries too. */
    function startWorker(): ChildProcess {
      const child = spawn(process.execPath, ['dist/worker.js'], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'error',
          MONGODB_URI: testApp.database.uri,
          MONGODB_DB_NAME: testApp.database.name,
          MONGODB_MAX_POOL_SIZE: '1',
          PROCESSING_ENABLED: 'false',
          FETCH_ALLOWED_HOSTS: '127.0.0.1',
          WEBHOOK_RETRY_BASE_MS: '1500',
          WEBHOOK_POLL_INTERVAL_MS: '100',
        },
        stdio: 'ignore',
      });
      workers.push(child);
      return child;
    }

    beforeAll(async () => {
      receiver = await WebhookReceiver.start([500, 200]);
      // The API sends nothing itself: the worker processes do, one after the other.
      testApp = await createTestApp({
        PROCESSING_ENABLED: 'true',
        PROCESSING_POLL_INTERVAL_MS: '100',
        FETCH_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOKS_ENABLED: 'false',
      });
      api = client(testApp.baseUrl);
    });

    afterAll(async () => {
      for (const worker of workers) {
        worker.kill('SIGKILL');
      }
      await testApp.close();
      await receiver.close();
    });

    it('is retried by the next process with the same webhook-id', async () => {
      const hook = await api.post(WEBHOOKS, { url: receiver.url, events: ['page.failed'] });
      await api.post(PAGES, buildCreatePageDto({ pageUrl: receiver.missingPageUrl }));

      const first = startWorker();
      const pending = await waitUntil(async () => {
        const res = await deliveriesOf(api, hook.body.data._id);
        const delivery = res.body.data[0];
        // Counted at the claim: wait for the attempt's outcome, not only its start.
        return delivery?.attempts === 1 && delivery.lastStatusCode !== undefined
          ? delivery
          : undefined;
      }, 30_000);
      expect(pending.lastStatusCode).toBe(500);
      expect(new Date(pending.nextAttemptAt).getTime()).toBeGreaterThan(Date.now());

      first.kill('SIGTERM');
      const [code] = (await once(first, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(receiver.received).toHaveLength(1);

      startWorker();
      const delivered = await waitUntil(async () => {
        const res = await deliveriesOf(api, hook.body.data._id);
        return res.body.data[0]?.status === 'delivered' ? res.body.data[0] : undefined;
      }, 30_000);
      expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200 });
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1].headers['webhook-id']).toBe(
        receiver.received[0].headers['webhook-id'],
      );
    });
  });
});
