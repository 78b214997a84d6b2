import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

type ContentSecurityPolicy = { useDefaults: boolean; directives: Record<string, string[]> };

/** JSON responses load nothing and may not be framed. */
const API_CSP: ContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Swagger UI as @nestjs/swagger serves it: scripts and stylesheets from `/docs` itself (no inline
 * scripts: its start-up code is `/docs/swagger-ui-init.js`), but inline `<style>` blocks and
 * `style` attributes in its HTML, and `data:` images in its CSS. No `upgrade-insecure-requests`
 * (helmet's default adds it), which would break the page when it is served over plain HTTP.
 */
const DOCS_CSP: ContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Security headers (@fastify/helmet) on every response Fastify sends, errors and 404s included:
 * helmet's defaults (nosniff, HSTS, no referrer, same-origin resource and opener policies, …),
 * `X-Frame-Options: DENY` and a Content-Security-Policy that allows nothing, except on Swagger UI
 * (the routes under `docsPath`), which gets the policy it needs to run in a browser. Call it
 * before Swagger's routes are added, so that the route hook sees them.
 */
export async function registerSecurityHeaders(
  app: NestFastifyApplication,
  docsPath: string,
): Promise<void> {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      if (route.url === docsPath || route.url.startsWith(`${docsPath}/`)) {
        route.helmet = { contentSecurityPolicy: DOCS_CSP };
      }
    });
  await app.register(helmet, {
    contentSecurityPolicy: API_CSP,
    frameguard: { action: 'deny' },
  });
}
