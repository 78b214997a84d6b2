import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { Scope } from './api-keys.js';

export const REQUIRED_SCOPE = 'auth:requiredScope';
export const PUBLIC_ROUTE = 'auth:public';

/** Names of the OpenAPI security schemes (`buildOpenApiDocument` declares them). */
export const BEARER_SECURITY = 'bearer';
export const API_KEY_SECURITY = 'api-key';
export const API_KEY_HEADER = 'X-API-Key';

/**
 * The scope a handler (or every handler of a controller) needs, instead of the one its HTTP
 * method implies (`read` for GET and HEAD, `write` otherwise).
 */
export const RequireScope = (scope: Scope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE, scope);

/** Served without an API key (like `/health`). Rate limiting still applies. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Documents that the operations take the API key either way: Bearer or `X-API-Key` (OpenAPI "or"). */
export const ApiKeyAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiBearerAuth(BEARER_SECURITY), ApiSecurity(API_KEY_SECURITY));
