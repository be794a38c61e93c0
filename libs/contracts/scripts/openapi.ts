import { join } from 'node:path';
import type { HttpRouteSpec, RouteTable } from './http-routes.js';
import { defName, readJson, type SchemaNode } from './schema-files.js';

const ERROR_SCHEMA = 'error.json';
const MUTATIONS = new Set(['post', 'put', 'patch', 'delete']);

const schemaRef = (name: string): SchemaNode => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string): SchemaNode => ({ $ref: `#/components/responses/${name}` });

/**
 * The schemas the document refers to, each stated once under `components.schemas`: schema
 * files by their title, `common/defs.json` definitions by their name.
 */
class Components {
  readonly schemas = new Map<string, SchemaNode>();
  private readonly titleOf = new Map<string, string>();

  constructor(
    private readonly httpDir: string,
    private readonly defs: SchemaNode,
  ) {}

  /** A `$ref` to the schema file at `path` (relative to `schemas/http/`), added if new. */
  async file(path: string): Promise<SchemaNode> {
    const full = join(this.httpDir, path);
    let title = this.titleOf.get(full);
    if (!title) {
      const { $id: _id, $schema: _schema, ...raw } = await readJson(full);
      title = String(raw['title']);
      if (this.schemas.has(title)) throw new Error(`Two schemas are titled ${title}`);
      this.titleOf.set(full, title);
      this.schemas.set(title, this.convert(raw) as SchemaNode);
    }
    return schemaRef(title);
  }

  /** A `$ref` to a `common/defs.json` definition, added if new. */
  def(ref: string): SchemaNode {
    const name = defName(ref);
    const target = name ? this.defs[name] : undefined;
    if (!name || !target) throw new Error(`Unresolvable $ref ${ref}`);
    if (!this.schemas.has(name)) {
      this.schemas.set(name, {}); // placeholder first: a definition may refer to itself
      this.schemas.set(name, this.convert(target) as SchemaNode);
    }
    return schemaRef(name);
  }

  /** Rewrites `$ref`s into defs.json as component references. */
  convert(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.convert(item));
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as SchemaNode)['$ref'];
    if (typeof ref === 'string') return this.def(ref);
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, this.convert(value)]),
    );
  }

  /** The property schemas of an object schema file, for query parameters. */
  async properties(path: string): Promise<Array<[string, SchemaNode, boolean]>> {
    const raw = await readJson(join(this.httpDir, path));
    const required = new Set((raw['required'] as string[] | undefined) ?? []);
    const props = (raw['properties'] ?? {}) as Record<string, SchemaNode>;
    return Object.entries(props).map(([name, schema]) => [
      name,
      this.convert(schema) as SchemaNode,
      required.has(name),
    ]);
  }
}

async function operation(route: HttpRouteSpec, components: Components): Promise<SchemaNode> {
  const parameters: SchemaNode[] = [
    ...Object.entries(route.params).map(([name, ref]) => ({
      name,
      in: 'path',
      required: true,
      schema: components.def(ref),
    })),
    ...(await components.properties(route.query.file)).map(([name, schema, required]) => ({
      name,
      in: 'query',
      required,
      schema,
      ...(typeof schema['description'] === 'string' ? { description: schema['description'] } : {}),
    })),
  ];
  const mutation = MUTATIONS.has(route.method);
  if (route.access === 'signed-in' && mutation) {
    parameters.push({
      name: 'X-OO-CSRF',
      in: 'header',
      required: true,
      schema: { type: 'string' },
      description: 'equal to the oo_csrf cookie',
    });
  }

  const responses: SchemaNode = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema
        ? { content: { 'application/json': { schema: await components.file(response.schema) } } }
        : {}),
    };
  }
  responses['400'] ??= responseRef('InvalidRequest');
  if (route.body) responses['415'] ??= responseRef('UnsupportedMediaType');
  if (route.access === 'signed-in') responses['401'] ??= responseRef('Unauthenticated');
  if (mutation) responses['403'] ??= responseRef('Forbidden');
  responses['default'] = responseRef('Error');

  return {
    operationId: route.id,
    summary: route.summary,
    security: route.access === 'signed-in' ? [{ session: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            description: 'application/json only; any other content type is a 415',
            required: ((route.body.raw['required'] as unknown[] | undefined) ?? []).length > 0,
            content: { 'application/json': { schema: await components.file(route.body.file) } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the route table; `servers` is left to whoever serves it. */
export async function buildOpenApi(
  table: RouteTable,
  httpDir: string,
  defs: SchemaNode,
): Promise<SchemaNode> {
  const components = new Components(httpDir, defs);
  const error = await components.file(ERROR_SCHEMA);
  const errorResponse = (description: string): SchemaNode => ({
    description,
    content: { 'application/json': { schema: error } },
  });

  const paths: Record<string, Record<string, SchemaNode>> = {};
  for (const route of table.routes) {
    (paths[route.path] ??= {})[route.method] = await operation(route, components);
  }
  const sorted = <T>(entries: Iterable<[string, T]>): Record<string, T> =>
    Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));

  return {
    openapi: '3.1.0',
    info: table.info,
    paths,
    components: {
      schemas: sorted(components.schemas),
      responses: {
        InvalidRequest: errorResponse(
          'invalid_request: a body or query that breaks its schema, or an unknown field; `field` names it',
        ),
        UnsupportedMediaType: errorResponse(
          'unsupported_media_type: the body is not application/json (field: content-type)',
        ),
        Unauthenticated: errorResponse('unauthenticated: no valid session cookie'),
        Forbidden: errorResponse(
          'forbidden: a mutation from another origin, or without the X-OO-CSRF header',
        ),
        Error: errorResponse('any other error'),
      },
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'oo_session' } },
    },
  };
}
