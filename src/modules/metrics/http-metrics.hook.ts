import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service.js';

/** The route scraped by Prometheus, kept out of the HTTP histogram it reads. */
export const METRICS_ROUTE = '/metrics';
/** Route label of requests that matched no route (404s for unknown paths). */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every HTTP response with a Fastify `onResponse` hook, so that requests refused before a
 * controller runs (bad JSON, 413, 415, unknown routes, auth, rate limits) are counted too.
 * Labelled by the route's pattern, never the raw URL: ids and query strings would make a series
 * per request. Does nothing in a process without HTTP (the stand-alone worker).
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) {
      return;
    }
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      if (route !== METRICS_ROUTE) {
        this.metrics.observeHttpRequest(
          request.method,
          route,
          reply.statusCode,
          reply.elapsedTime / 1000,
        );
      }
      done();
    });
  }
}
