import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiKeysService } from './api-keys.service.js';
import { isHealthPath, pathOf } from './public-paths.js';

/**
 * Rate limiting per client across the whole API: per API key when the request carries a valid
 * one, else per address. Only a configured key gets a budget of its own, so sending made-up keys
 * does not escape the per-address limit. Over the limit: 429 `RATE_LIMITED` with `Retry-After`.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(
      context.getType() !== 'http' ||
        isHealthPath(pathOf(context.switchToHttp().getRequest<FastifyRequest>())),
    );
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const credential = this.keys.credentialOf(request as unknown as FastifyRequest);
    if (credential.presented && credential.key) {
      return `key:${credential.key.id}`;
    }
    return `ip:${await super.getTracker(request)}`;
  }

  /** One budget per client for the whole API, not one per route as the default key gives. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${throttlerName}:${tracker}`;
  }
}
