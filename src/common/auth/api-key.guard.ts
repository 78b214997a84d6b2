import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scopeForMethod, type Scope } from './api-keys.js';
import { ApiKeysService } from './api-keys.service.js';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './auth.decorators.js';
import { isHealthPath, pathOf } from './public-paths.js';

/**
 * Global guard: every route needs an API key with the route's scope (`@RequireScope`, else
 * `read` for GET/HEAD and `write` for the rest), except `/health` and `@Public()` routes.
 * Swagger's routes are not Nest routes; `registerDocsAccess` guards them.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') {
      return true;
    }
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const targets = [context.getHandler(), context.getClass()];
    if (
      isHealthPath(pathOf(request)) ||
      this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets)
    ) {
      return true;
    }
    const scope =
      this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, targets) ??
      scopeForMethod(request.method);
    this.keys.authorize(request, http.getResponse<FastifyReply>(), scope);
    return true;
  }
}
