import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { format } from 'prettier';
import { readRouteTable, ROUTE_TABLE } from './http-routes.js';
import { buildOpenApi } from './openapi.js';
import { inlineRefs, loadFolder, readJson, type Loaded, type SchemaNode } from './schema-files.js';

export interface GeneratedFile {
  path: string;
  content: string;
}

const HEADER = '// GENERATED from schemas/ by `npm run contracts:generate`. Do not edit.\n';

async function toTypes(loaded: Loaded): Promise<string> {
  return compile(loaded.schema, loaded.title, {
    bannerComment: '',
    additionalProperties: false,
    format: false,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
    declareExternallyReferenced: true,
  });
}

const constName = (title: string): string => `${title[0]!.toLowerCase()}${title.slice(1)}Schema`;

/** Where the committed OpenAPI document lives, relative to the repository root. */
export const OPENAPI_PATH = 'libs/contracts/src/generated/openapi.json';

/**
 * Generates the contract types, the schema registry and the OpenAPI document from `schemasDir`
 * (the repository's `schemas/` unless a test points elsewhere). Pure: writes nothing.
 */
export async function generateContracts(
  rootDir: string,
  schemasDir = join(rootDir, 'schemas'),
): Promise<GeneratedFile[]> {
  const defs = (await readJson(join(schemasDir, 'common/defs.json')))['definitions'] as SchemaNode;
  const envelope = {
    file: 'envelope.json',
    title: 'EnvelopeSchemaShape',
    schema: inlineRefs(await readJson(join(schemasDir, 'envelope.json')), defs) as SchemaNode,
  };
  const events = await loadFolder(join(schemasDir, 'events'), defs);
  const rpc = await loadFolder(join(schemasDir, 'rpc'), defs);
  const httpDir = join(schemasDir, 'http');
  const http = await loadFolder(httpDir, defs, [ROUTE_TABLE]);
  const routeTable = await readRouteTable(httpDir, http);

  const typeChunks = await Promise.all([...events, ...rpc, ...http].map(toTypes));
  // Nested titled schemas (e.g. SyncedTask) are emitted by every file that contains them.
  // Each declaration is cut with its doc comment, so a dropped repeat takes its comment along.
  const seen = new Set<string>();
  const declarations = typeChunks
    .join('\n')
    .split(/\n(?=(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export )/)
    .filter((decl) => {
      const name =
        /^(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?export (?:interface|type) (\w+)/.exec(
          decl.trim(),
        )?.[1] ?? decl;
      if (seen.has(name)) return false;
      seen.add(name);
      return true;
    });

  const eventEntries = events.map(({ file, title }) => {
    const [, type, version] = /^(.+)\.v(\d+)\.json$/.exec(file) ?? [];
    if (!type || !version) throw new Error(`events/${file} must be named <type>.v<version>.json`);
    return { type, version: Number(version), title };
  });
  const latest = new Map<string, (typeof eventEntries)[number]>();
  for (const entry of eventEntries) {
    const current = latest.get(entry.type);
    if (!current || current.version < entry.version) latest.set(entry.type, entry);
  }
  const rpcOps = [
    ...new Set(rpc.map(({ file }) => file.replace(/\.(request|response)\.json$/, ''))),
  ]
    .filter((op) => op !== 'error.json')
    .sort();
  const rpcTitle = (op: string, kind: 'request' | 'response'): string => {
    const found = rpc.find((r) => r.file === `${op}.${kind}.json`);
    if (!found) throw new Error(`rpc/${op}.${kind}.json is missing`);
    return found.title;
  };

  const types = [
    HEADER,
    declarations.join('\n'),
    "\n/** The latest version of each event type's data, keyed by type. */",
    'export interface EventDataMap {',
    ...[...latest.values()].map((e) => `  '${e.type}': ${e.title};`),
    '}',
    '\n/** Request and response of every RPC, keyed by NATS subject. */',
    'export interface RpcMap {',
    ...rpcOps.map(
      (op) =>
        `  'rpc.${op}': { request: ${rpcTitle(op, 'request')}; response: ${rpcTitle(op, 'response')} };`,
    ),
    '}',
    '\n/** What each HTTP route accepts, keyed by its id in schemas/http/routes.json. */',
    'export interface HttpInputMap {',
    ...routeTable.routes.map(
      (r) => `  '${r.id}': { ${r.body ? `body: ${r.body.title}; ` : ''}query: ${r.query.title} };`,
    ),
    '}',
  ].join('\n');

  const schemas = [
    HEADER,
    `export const envelopeSchema = ${JSON.stringify(envelope.schema)} as const;`,
    ...[...events, ...rpc, ...http].map(
      (l) => `export const ${constName(l.title)} = ${JSON.stringify(l.schema)} as const;`,
    ),
    '\n/** Event data schemas by type, then version. */',
    'export const eventSchemas = {',
    ...[...latest.keys()].sort().map((type) => {
      const versions = eventEntries.filter((e) => e.type === type);
      return `  '${type}': { ${versions.map((v) => `${v.version}: ${constName(v.title)}`).join(', ')} },`;
    }),
    '} as const;',
    '\n/** The version a publisher writes today, by event type. */',
    'export const currentEventVersions = {',
    ...[...latest.values()].map((e) => `  '${e.type}': ${e.version},`),
    '} as const;',
    '\n/** RPC payload schemas by NATS subject. */',
    'export const rpcSchemas = {',
    ...rpcOps.map(
      (op) =>
        `  'rpc.${op}': { request: ${constName(rpcTitle(op, 'request'))}, response: ${constName(rpcTitle(op, 'response'))} },`,
    ),
    '} as const;',
    `\n/** Every HTTP route (schemas/http/${ROUTE_TABLE}) and the schemas of its body and query. */`,
    'export const httpRoutes = {',
    ...routeTable.routes.map(
      (r) =>
        `  '${r.id}': { method: '${r.method}', path: '${r.path}', access: '${r.access}', ${r.body ? `body: ${constName(r.body.title)}, ` : ''}query: ${constName(r.query.title)} },`,
    ),
    '} as const;',
  ].join('\n');
  const openApi = await buildOpenApi(routeTable, httpDir, defs);

  const outDir = join(rootDir, 'libs/contracts/src/generated');
  const pretty = (source: string): Promise<string> =>
    format(source, {
      parser: 'typescript',
      singleQuote: true,
      printWidth: 100,
      trailingComma: 'all',
    });
  return [
    { path: relative(rootDir, join(outDir, 'types.ts')), content: await pretty(types) },
    { path: relative(rootDir, join(outDir, 'schemas.ts')), content: await pretty(schemas) },
    {
      path: OPENAPI_PATH,
      content: await format(JSON.stringify(openApi, null, 2), { parser: 'json', printWidth: 100 }),
    },
  ];
}

/** The paths of `files` whose committed copy under `rootDir` differs (or is missing). */
export async function findDrift(rootDir: string, files: GeneratedFile[]): Promise<string[]> {
  const drifted: string[] = [];
  for (const file of files) {
    const committed = await readFile(join(rootDir, file.path), 'utf8').catch(() => undefined);
    if (committed !== file.content) drifted.push(file.path);
  }
  return drifted;
}
