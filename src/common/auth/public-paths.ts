import type { FastifyRequest } from 'fastify';

/** The request's path without its query string: the route's pattern when it has one. */
export function pathOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? request.url.split('?', 1)[0] ?? '';
}

/** `/health` and anything under it: probes must never need a key nor be rate limited. */
export function isHealthPath(path: string): boolean {
  return path === '/health' || path.startsWith('/health/');
}

/** Swagger UI (`/docs`, its assets) and the document (`/docs-json`, `/docs-yaml`). */
export function isDocsPath(path: string): boolean {
  return /^\/docs(?:$|[/?]|-json|-yaml)/.test(path);
}
