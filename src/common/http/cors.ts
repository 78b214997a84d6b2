import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** @fastify/cors's options, as the Fastify app's `enableCors` takes them. */
type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/**
 * CORS for the configured origins (CORS_ORIGINS): only those origins get
 * `Access-Control-Allow-Origin`, preflights are answered for the API's methods with whatever
 * request headers the browser asks for (Content-Type, If-Match, the API key headers), and the
 * response headers a client needs are readable. No cookies: the API authenticates by header.
 */
export function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: [
      'ETag',
      'Location',
      'X-Request-Id',
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'Content-Disposition',
      'X-Missing-Business-Terms',
    ],
    credentials: false,
    maxAge: 600,
  };
}
