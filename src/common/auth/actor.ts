import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The actor of requests made without a key (open mode, or a public route). */
export const ANONYMOUS_ACTOR = 'anonymous';

const actors = new WeakMap<object, string>();

/** Records who makes `request` (set by the API key guard once the key is checked). */
export function setActor(request: FastifyRequest, actor: string): void {
  actors.set(request, actor);
}

/** Who makes `request`: the API key's name (or hash prefix), or `anonymous`. */
export function actorOf(request: FastifyRequest): string {
  return actors.get(request) ?? ANONYMOUS_ACTOR;
}

/** Injects the request's actor into a handler parameter (history, corrections, reviews). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  actorOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
