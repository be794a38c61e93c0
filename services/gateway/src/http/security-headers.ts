import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** What helmet does to a response: headers it sets (in its order) and headers it removes. */
export interface SecurityHeaders {
  set: ReadonlyArray<readonly [name: string, value: string]>;
  removed: readonly string[];
}

/**
 * Runs helmet's middleware once against a recorder and keeps what it did. `@fastify/helmet`
 * calls `helmet(options)` on every request, which parses and re-validates the whole CSP each
 * time (~5 % of the gateway's CPU per request); with static options the outcome never changes.
 * A directive computed per request (a function) would make that untrue, so it is refused.
 */
export function securityHeaders(options: HelmetOptions): SecurityHeaders {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.some((value) => isIterable(value) && [...value].some(isFunction))) {
    throw new Error('security headers are computed once: a CSP directive cannot be a function');
  }
  const set = new Map<string, string>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
  };
  let done = false;
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    failure = error;
    done = true;
  });
  if (failure) throw new Error('helmet refused the options', { cause: failure });
  if (!done) throw new Error('helmet did not finish synchronously');
  return { set: [...set], removed };
}

/**
 * Sets the headers on every response, first thing (onRequest, as `@fastify/helmet` did), so
 * 4xx answers from later hooks (rate limit, not found) carry them too. They go on the raw
 * response, where helmet put them, so a route's own `reply.header()` still wins.
 */
export function applySecurityHeaders(fastify: FastifyInstance, headers: SecurityHeaders): void {
  const { set, removed } = headers;
  fastify.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of set) raw.setHeader(name, value);
    for (const name of removed) raw.removeHeader(name);
    done();
  });
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}
