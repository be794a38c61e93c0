import { Transform, type TransformCallback } from 'node:stream';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

const RAW_BODY_CONFIG = 'rawBody';
const RAW_CHUNKS = Symbol('rawBodyChunks');

interface RawBodyConfig {
  limitBytes: number;
}

type RawBodyRequest = FastifyRequest & { [RAW_CHUNKS]?: Buffer[] };
type PreParsingHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  payload: NodeJS.ReadableStream,
) => Promise<NodeJS.ReadableStream>;

/**
 * Keeps a route's request body byte for byte (`rawBodyOf`), for a caller that signs the exact
 * bytes (a provider's webhook), and caps it at `limitBytes` (a 413 past that). The body is
 * still parsed as every other one is: JSON only, anything else a 415.
 */
export const RawBody = (limitBytes: number) =>
  RouteConfig({ [RAW_BODY_CONFIG]: { limitBytes } satisfies RawBodyConfig });

/**
 * Applies `@RawBody` to the routes that declare it, as Nest registers them: their own body
 * limit, and a copy of the bytes taken as they stream into the platform's JSON parser (no
 * route-scoped parser, so the JSON-only rule stays one rule). Call before the app starts.
 */
export function keepRawBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config as Record<string, unknown> | undefined)?.[RAW_BODY_CONFIG] as
      RawBodyConfig | undefined;
    if (!config) return;
    route.bodyLimit = config.limitBytes;
    const existing = route.preParsing;
    route.preParsing = [
      ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]),
      copyRawBody(config.limitBytes),
    ] as RouteOptions['preParsing'];
  });
}

/** The exact bytes of a request to a `@RawBody` route (empty when it had none). */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.concat((request as RawBodyRequest)[RAW_CHUNKS] ?? []);
}

function copyRawBody(limitBytes: number): PreParsingHook {
  return async (request, _reply, payload) => {
    const chunks: Buffer[] = [];
    let copied = 0;
    (request as RawBodyRequest)[RAW_CHUNKS] = chunks;
    const copy = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
        copied += chunk.length;
        // Past the limit the parser answers 413; holding more would only cost memory.
        if (copied <= limitBytes) chunks.push(chunk);
        done(null, chunk);
      },
    });
    payload.on('error', (error: Error) => copy.destroy(error));
    return payload.pipe(copy);
  };
}
