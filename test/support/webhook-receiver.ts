import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A webhook receiver on loopback: records every POST to `/hooks` and answers each with the next
 * status of `statuses` (the last one repeats). Any other path answers 404 (a page URL that fails).
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly server: Server;

  private constructor(private statuses: number[]) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/hooks') {
          response.writeHead(404).end();
          return;
        }
        this.received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const index = Math.min(this.received.length - 1, this.statuses.length - 1);
        response.writeHead(this.statuses[index]).end('ok');
      });
    });
  }

  static async start(statuses: number[] = [200]): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(statuses);
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    return receiver;
  }

  /** Answers from now on with `statuses` (the last one repeating). */
  answer(statuses: number[]): void {
    this.statuses = statuses;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks`;
  }

  /** A URL on this server that answers 404: a page image that cannot be fetched. */
  get missingPageUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/missing.png`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
