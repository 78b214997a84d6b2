import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/** Deepest nesting accepted in a request body; deeper bodies are refused before validation. */
export const MAX_BODY_DEPTH = 32;

/** Depth of the deepest object or array in a parsed JSON value, computed without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_BODY_DEPTH) {
      return deepest;
    }
    for (const child of Object.values(node)) {
      stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Makes `application/json` the only body type the API accepts (anything else is 415) and parses
 * it with Fastify's own parser, which refuses `__proto__`/`constructor` keys. Its errors are
 * replaced by one that does not quote the body back, and over-deep bodies are refused here
 * because the validation and transformation layers walk them recursively.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request: FastifyRequest, body: string, done) => {
      void parseJson(request, body, (error: Error | null, parsed?: unknown) => {
        if (error) {
          const statusCode = (error as { statusCode?: number }).statusCode;
          // Keep Fastify's own errors (e.g. empty body); replace JSON.parse's, which quote input.
          done(
            statusCode && 'code' in error && String(error.code).startsWith('FST_')
              ? error
              : AppError.validation([], 'Malformed JSON body'),
            undefined,
          );
          return;
        }
        if (jsonDepth(parsed) > MAX_BODY_DEPTH) {
          done(
            AppError.validation([], `Request body is nested deeper than ${MAX_BODY_DEPTH} levels`),
            undefined,
          );
          return;
        }
        done(null, parsed);
      });
    },
  );
}
