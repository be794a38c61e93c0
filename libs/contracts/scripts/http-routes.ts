import { join } from 'node:path';
import { readJson, type Loaded, type SchemaNode } from './schema-files.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const ACCESS = ['public', 'signed-in'] as const;

export interface RouteResponse {
  description: string;
  /** A schema file relative to `schemas/http/`, e.g. `../rpc/profile.get.response.json`. */
  schema?: string;
}

/** One row of `schemas/http/routes.json`, with its body and query schemas found by file name. */
export interface HttpRouteSpec {
  id: string;
  method: (typeof METHODS)[number];
  path: string;
  access: (typeof ACCESS)[number];
  summary: string;
  /** Path parameter → a `$ref` into `common/defs.json`. */
  params: Record<string, string>;
  responses: Record<string, RouteResponse>;
  body?: Loaded;
  /** `<id>.query.json`, or the shared `empty.query.json` (no parameters accepted). */
  query: Loaded;
}

export interface RouteTable {
  info: SchemaNode;
  routes: HttpRouteSpec[];
}

export const ROUTE_TABLE = 'routes.json';
export const EMPTY_QUERY = 'empty.query.json';

function fail(id: string, problem: string): never {
  throw new Error(`schemas/http/${ROUTE_TABLE}: route ${id} ${problem}`);
}

/**
 * Reads the route table and pairs each route with `<id>.body.json` / `<id>.query.json` from the
 * loaded `schemas/http/` files; a body or query file that names no route is an error, so a
 * renamed route cannot leave its schema silently unused.
 */
export async function readRouteTable(httpDir: string, files: Loaded[]): Promise<RouteTable> {
  const table = await readJson(join(httpDir, ROUTE_TABLE));
  const rows = table['routes'] as Record<string, SchemaNode> | undefined;
  if (!rows) throw new Error(`schemas/http/${ROUTE_TABLE} needs "routes"`);
  const byFile = new Map(files.map((f) => [f.file, f]));
  const emptyQuery = byFile.get(EMPTY_QUERY);
  if (!emptyQuery) throw new Error(`schemas/http/${EMPTY_QUERY} is missing`);

  const routes = Object.entries(rows).map(([id, row]): HttpRouteSpec => {
    const method = row['method'] as HttpRouteSpec['method'];
    const access = row['access'] as HttpRouteSpec['access'];
    const path = row['path'];
    const summary = row['summary'];
    if (typeof summary !== 'string') fail(id, 'needs a summary');
    if (!METHODS.includes(method)) fail(id, `has method ${String(method)}`);
    if (!ACCESS.includes(access)) fail(id, `has access ${String(access)}`);
    if (typeof path !== 'string' || !path.startsWith('/')) fail(id, 'needs an absolute path');
    const params = (row['params'] ?? {}) as Record<string, string>;
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    if (inPath.sort().join() !== Object.keys(params).sort().join()) {
      fail(id, `must give a schema for exactly its path parameters (${inPath.join(', ')})`);
    }
    const responses = row['responses'] as Record<string, RouteResponse> | undefined;
    if (!responses || Object.keys(responses).length === 0) fail(id, 'needs a response');
    const body = byFile.get(`${id}.body.json`);
    return {
      id,
      method,
      path,
      access,
      summary,
      params,
      responses,
      ...(body ? { body } : {}),
      query: byFile.get(`${id}.query.json`) ?? emptyQuery,
    };
  });

  const ids = new Set(routes.map((r) => r.id));
  for (const { file } of files) {
    const id = /^(.+)\.(?:body|query)\.json$/.exec(file)?.[1];
    if (id && file !== EMPTY_QUERY && !ids.has(id)) {
      throw new Error(`schemas/http/${file} names no route in ${ROUTE_TABLE}`);
    }
  }
  return { info: (table['info'] ?? {}) as SchemaNode, routes };
}
