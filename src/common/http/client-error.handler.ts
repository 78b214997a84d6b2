import type { ConnectionError } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorEnvelope } from './envelope.js';
import { ErrorCode } from './error-code.js';
import { REQUEST_ID_HEADER } from '../logging/request-id.js';

/** The part of the logger the handler writes to. */
interface InfoLogger {
  info(fields: object, message: string): void;
}

interface ClientErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
}

/** Node's errors for a request it could not read (https://nodejs.org/api/http.html#event-clienterror). */
function answerFor(error: ConnectionError): ClientErrorAnswer {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: ErrorCode.REQUEST_TIMEOUT,
        message: 'The request was not received in time',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: ErrorCode.VALIDATION_ERROR,
        message: 'Request headers too large',
      };
    default:
      return { status: 400, code: ErrorCode.VALIDATION_ERROR, message: 'Malformed HTTP request' };
  }
}

/**
 * Fastify's `clientErrorHandler`: answers what Node's HTTP parser rejects before Fastify sees a
 * request (a request not received within REQUEST_TIMEOUT_MS, oversized headers, malformed HTTP)
 * in the API's error envelope with a fresh request id, then closes the connection, as Fastify's
 * default handler does with its own body.
 */
export function createClientErrorHandler(
  logger: InfoLogger,
): (error: ConnectionError, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) {
      return;
    }
    const { status, code, message } = answerFor(error);
    const requestId = randomUUID();
    logger.info(
      { reqId: requestId, statusCode: status, cause: error.code },
      'request rejected before routing',
    );
    if (socket.writable) {
      const envelope: ErrorEnvelope = {
        success: false,
        error: { code, message, details: [], requestId },
      };
      const body = JSON.stringify(envelope);
      socket.write(
        [
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
          'Content-Type: application/json; charset=utf-8',
          `Content-Length: ${Buffer.byteLength(body)}`,
          `${REQUEST_ID_HEADER}: ${requestId}`,
          'X-Content-Type-Options: nosniff',
          'Connection: close',
          '',
          body,
        ].join('\r\n'),
      );
    }
    socket.destroy(error);
  };
}
