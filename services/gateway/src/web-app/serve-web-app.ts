import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpErrorBody } from '@oo/platform';
import type { WebAppFile, WebAppFiles } from './web-app-files.js';

/** Paths that belong to the API and the platform: never answered with the SPA. */
const SERVER_PREFIXES = ['/api/', '/auth/', '/integrations/', '/webhooks/', '/health', '/metrics'];

/**
 * Serves the built SPA for every GET the API does not answer: its files as built, and
 * `index.html` for any other page address (`/settings`, `/legal/terms`), so a reload or a shared
 * link of a client route works. A missing file (a name with an extension) is a 404, not the
 * app, so a stale hashed asset fails loudly instead of parsing HTML as JavaScript.
 */
export function serveWebApp(fastify: FastifyInstance, app: WebAppFiles): void {
  fastify.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    handler: (request, reply) => {
      const path = decodedPath(request.url);
      if (path === undefined || SERVER_PREFIXES.some((prefix) => path.startsWith(prefix))) {
        return notFound(reply);
      }
      const file = app.files.get(path) ?? (isPageAddress(path) ? app.index : undefined);
      if (!file) return notFound(reply);
      return send(request, reply, file);
    },
  });
}

function send(request: FastifyRequest, reply: FastifyReply, file: WebAppFile): FastifyReply {
  const encoding = chooseEncoding(request.headers['accept-encoding'], file);
  // Each coding is its own representation, with its own validator (RFC 9110 §8.8.3).
  const etag = encoding ? `"${file.etag.slice(1, -1)}-${encoding}"` : file.etag;
  void reply
    .header('content-type', file.contentType)
    .header('cache-control', file.cacheControl)
    .header('etag', etag)
    .header('vary', 'accept-encoding');
  if (matchesAny(request.headers['if-none-match'], etag)) return reply.status(304).send();
  if (encoding === 'br') return reply.header('content-encoding', 'br').send(file.brotli);
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.body);
}

/** Brotli, else gzip, when the file has that copy and the browser takes it (`q=0` refuses). */
function chooseEncoding(header: string | undefined, file: WebAppFile): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  if (file.brotli && accepted.has('br')) return 'br';
  if (file.gzip && accepted.has('gzip')) return 'gzip';
  return undefined;
}

/** `If-None-Match`: a list of (possibly weak) tags, or `*`; compared weakly, as RFC 9110 asks. */
function matchesAny(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

function decodedPath(url: string): string | undefined {
  const query = url.indexOf('?');
  try {
    return decodeURIComponent(query === -1 ? url : url.slice(0, query));
  } catch {
    return undefined;
  }
}

/** A client route (`/settings`) rather than a file (`/logo.png`): no extension in its last segment. */
function isPageAddress(path: string): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

function notFound(reply: FastifyReply): FastifyReply {
  const body: HttpErrorBody = { error: { code: 'not_found', message: 'Not found' } };
  return reply.status(404).header('content-type', 'application/json').send(body);
}
