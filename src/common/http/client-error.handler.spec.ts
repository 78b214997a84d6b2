import { jest } from '@jest/globals';
import type { ConnectionError } from 'fastify';
import type { Socket } from 'node:net';
import { createClientErrorHandler } from './client-error.handler.js';

function connectionError(code: string): ConnectionError {
  return Object.assign(new Error(code), {
    code,
    bytesParsed: 0,
    rawPacket: { type: '', data: [] },
  });
}

/** A socket that records what is written to it and whether it was destroyed. */
function fakeSocket(state: { writable?: boolean; destroyed?: boolean } = {}) {
  const socket = {
    writable: state.writable ?? true,
    destroyed: state.destroyed ?? false,
    written: '',
    write(data: string) {
      socket.written += data;
      return true;
    },
    destroy: jest.fn(),
  };
  return socket;
}

function handle(code: string, socket = fakeSocket()) {
  const logger = { info: jest.fn() };
  createClientErrorHandler(logger)(connectionError(code), socket as unknown as Socket);
  const [head = '', body = ''] = socket.written.split('\r\n\r\n');
  return { socket, logger, head, body: body ? JSON.parse(body) : undefined };
}

describe('createClientErrorHandler', () => {
  it.each<[string, string, string, string]>([
    [
      'ERR_HTTP_REQUEST_TIMEOUT',
      '408 Request Timeout',
      'REQUEST_TIMEOUT',
      'The request was not received in time',
    ],
    [
      'HPE_HEADER_OVERFLOW',
      '431 Request Header Fields Too Large',
      'VALIDATION_ERROR',
      'Request headers too large',
    ],
    ['HPE_INVALID_METHOD', '400 Bad Request', 'VALIDATION_ERROR', 'Malformed HTTP request'],
  ])('answers %s with %s in the error envelope', (code, statusLine, errorCode, message) => {
    const { socket, head, body, logger } = handle(code);
    expect(head.split('\r\n')[0]).toBe(`HTTP/1.1 ${statusLine}`);
    const requestId = /\r\nx-request-id: (\S+)/.exec(head)?.[1];
    expect(body).toStrictEqual({
      success: false,
      error: { code: errorCode, message, details: [], requestId },
    });
    expect(head).toContain('\r\nConnection: close');
    expect(head).toContain(`\r\nContent-Length: ${Buffer.byteLength(JSON.stringify(body))}`);
    expect(logger.info).toHaveBeenCalledWith(
      expect.objectContaining({ reqId: requestId, cause: code }),
      'request rejected before routing',
    );
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('leaves a reset connection alone', () => {
    const { socket, logger } = handle('ECONNRESET');
    expect(socket.written).toBe('');
    expect(socket.destroy).not.toHaveBeenCalled();
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('only closes a socket that can no longer be written', () => {
    const { socket } = handle('ERR_HTTP_REQUEST_TIMEOUT', fakeSocket({ writable: false }));
    expect(socket.written).toBe('');
    expect(socket.destroy).toHaveBeenCalled();
  });
});
