import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NodeEnv, type Environment } from '../../config/index.js';
import { AppError } from '../http/app-error.js';
import { ErrorCode } from '../http/error-code.js';
import { setActor } from './actor.js';
import {
  actorOfKey,
  findApiKey,
  hasScope,
  parseApiKeys,
  presentedApiKey,
  type ApiKey,
  type Scope,
} from './api-keys.js';

/** What a request presented: nothing, or a secret and the configured key it matches (if any). */
export type Credential = { presented: false } | { presented: true; key: ApiKey | undefined };

/** RFC 6750: a 401 names the scheme the client should use. */
const WWW_AUTHENTICATE = 'Bearer realm="api"';

/**
 * The configured API keys and the checks made with them. Without keys the API is open, on loopback
 * only unless AUTH_DISABLED=true (see open-mode.ts); production refuses to start without keys
 * unless AUTH_DISABLED=true.
 */
@Injectable()
export class ApiKeysService implements OnModuleInit {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly keys: readonly ApiKey[];
  private readonly production: boolean;
  private readonly authDisabled: boolean;
  /** Each request is matched once, though both the rate limiter and the auth guard ask. */
  private readonly credentials = new WeakMap<object, Credential>();

  constructor(config: ConfigService<Environment, true>) {
    this.keys = parseApiKeys(config.get('API_KEYS', { infer: true }));
    this.production = config.get('NODE_ENV', { infer: true }) === NodeEnv.Production;
    this.authDisabled = config.get('AUTH_DISABLED', { infer: true });
  }

  /**
   * Checked when the app starts rather than when it is built, so that the failure is a rejected
   * `listen()`/`init()` the caller sees, not Nest's abort of the process.
   */
  onModuleInit(): void {
    if (this.enabled && this.authDisabled) {
      throw new Error('AUTH_DISABLED=true contradicts API_KEYS: set one or the other');
    }
    if (this.enabled) {
      this.logger.log(`API key authentication on (${this.keys.length} key(s) configured)`);
      return;
    }
    if (this.production && !this.authDisabled) {
      throw new Error(
        'API_KEYS must be set when NODE_ENV=production: give comma-separated <sha256 hex of the key>:<scope>[+<scope>] entries (see .env.example), or AUTH_DISABLED=true to serve without authentication',
      );
    }
    // Where the API then listens (loopback only, unless AUTH_DISABLED) is logged by main.ts.
  }

  /** False in open mode (no key configured, outside production). */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The credential the request carries, matched against every configured key once. */
  credentialOf(request: FastifyRequest): Credential {
    const cached = this.credentials.get(request);
    if (cached) {
      return cached;
    }
    const secret = presentedApiKey(request.headers);
    const credential: Credential =
      secret === undefined
        ? { presented: false }
        : { presented: true, key: findApiKey(this.keys, secret) };
    this.credentials.set(request, credential);
    return credential;
  }

  /** The request's valid key; else throws 401 `UNAUTHORIZED` (with `WWW-Authenticate`). */
  authenticate(request: FastifyRequest, reply: FastifyReply): ApiKey {
    const credential = this.credentialOf(request);
    if (!credential.presented || credential.key === undefined) {
      void reply.header('WWW-Authenticate', WWW_AUTHENTICATE);
      throw new AppError(
        ErrorCode.UNAUTHORIZED,
        credential.presented
          ? 'Invalid API key'
          : 'An API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      );
    }
    return credential.key;
  }

  /**
   * Lets the request through if it carries a key with `scope` (or authentication is off); else
   * throws 401 `UNAUTHORIZED` (with `WWW-Authenticate`) or 403 `FORBIDDEN` for the error filter.
   */
  authorize(request: FastifyRequest, reply: FastifyReply, scope: Scope): void {
    if (!this.enabled) {
      return;
    }
    const key = this.authenticate(request, reply);
    if (!hasScope(key, scope)) {
      throw new AppError(ErrorCode.FORBIDDEN, `This API key lacks the "${scope}" scope`);
    }
    setActor(request, actorOfKey(key));
  }
}
