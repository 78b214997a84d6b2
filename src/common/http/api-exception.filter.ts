import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorEnvelope } from './envelope.js';
import { toErrorResponse } from './error-response.js';

/**
 * The one place where errors become HTTP responses: domain errors, Nest's HttpExceptions,
 * Fastify's parser errors and unknown routes all leave in the contract's error envelope.
 * Unexpected errors are logged with their stack and answered with a generic 500.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const error = toErrorResponse(exception);

    if (error.unexpected) {
      this.logger.error(
        `${request.method} ${request.routeOptions?.url ?? 'unknown route'} failed (request ${request.id})`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    } else if (error.status >= 500) {
      this.logger.warn(
        `${request.method} ${request.routeOptions?.url ?? 'unknown route'} answered ${error.status} ${error.code} (request ${request.id})`,
      );
    }
    if (reply.sent) {
      return;
    }
    const body: ErrorEnvelope = {
      success: false,
      error: {
        code: error.code,
        message: error.message,
        details: error.details,
        requestId: String(request.id),
      },
    };
    void reply
      .status(error.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}
