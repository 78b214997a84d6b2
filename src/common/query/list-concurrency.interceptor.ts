import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { finalize, type Observable } from 'rxjs';
import type { Environment } from '../../config/index.js';
import { hashApiKey, presentedApiKey } from '../auth/api-keys.js';
import { AppError } from '../http/app-error.js';
import { ErrorCode } from '../http/error-code.js';

/**
 * Bounds the list queries one client runs at once (LIST_MAX_CONCURRENT_PER_CLIENT); one more
 * answers 429 RATE_LIMITED with `Retry-After: 1` before touching the database. Lists are the
 * expensive queries: without this, one client's burst of searches sorted over a huge offset
 * holds every pooled connection and readiness probes fail. A client is its API key (guards have
 * checked it by the time this runs), else its address.
 */
@Injectable()
export class ListConcurrencyInterceptor implements NestInterceptor {
  private readonly running = new Map<string, number>();
  private readonly max: number;

  constructor(config: ConfigService<Environment, true>) {
    this.max = config.get('LIST_MAX_CONCURRENT_PER_CLIENT', { infer: true });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const secret = presentedApiKey(request.headers);
    const client = secret ? `key:${hashApiKey(secret).toString('hex')}` : `ip:${request.ip}`;
    const count = this.running.get(client) ?? 0;
    if (count >= this.max) {
      void http.getResponse<FastifyReply>().header('Retry-After', '1');
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `At most ${this.max} list requests at a time per client: retry after the seconds in Retry-After`,
      );
    }
    this.running.set(client, count + 1);
    return next.handle().pipe(
      finalize(() => {
        const left = (this.running.get(client) ?? 1) - 1;
        if (left > 0) {
          this.running.set(client, left);
        } else {
          this.running.delete(client);
        }
      }),
    );
  }
}
