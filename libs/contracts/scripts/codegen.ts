import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { format } from 'prettier';

/** A JSON Schema as read from disk; only the keys the generator looks at are typed. */
type SchemaNode = { [key: string]: unknown };

export interface GeneratedFile {
  path: string;
  content: string;
}

const HEADER = '// GENERATED from schemas/ by `npm run contracts:generate`. Do not edit.\n';

async function readJson(path: string): Promise<SchemaNode> {
  return JSON.parse(await readFile(path, 'utf8')) as SchemaNode;
}

/** Inlines every `$ref` into `common/defs.json`, so each schema stands alone at run time. */
function inlineRefs(node: unknown, defs: SchemaNode): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, defs));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as SchemaNode)['$ref'];
  if (typeof ref === 'string') {
    const name = /defs\.json#\/definitions\/(\w+)$/.exec(ref)?.[1];
    const target = name ? defs[name] : undefined;
    if (!target) throw new Error(`Unresolvable $ref ${ref}`);
    return inlineRefs(target, defs);
  }
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$id' || key === '$schema') continue;
    out[key] = inlineRefs(value, defs);
  }
  return out;
}

interface Loaded {
  file: string;
  title: string;
  schema: SchemaNode;
}

async function loadFolder(dir: string, defs: SchemaNode): Promise<Loaded[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = await readJson(join(dir, file));
      const title = raw['title'];
      if (typeof title !== 'string') throw new Error(`${file} needs a title (the type name)`);
      return { file, title, schema: inlineRefs(raw, defs) as SchemaNode };
    }),
  );
}

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

/** Generates the contract types and schema registry from `schemasDir`. Pure: writes nothing. */
export async function generateContracts(rootDir: string): Promise<GeneratedFile[]> {
  const schemasDir = join(rootDir, 'schemas');
  const defs = (await readJson(join(schemasDir, 'common/defs.json')))['definitions'] as SchemaNode;
  const envelope = {
    file: 'envelope.json',
    title: 'EnvelopeSchemaShape',
    schema: inlineRefs(await readJson(join(schemasDir, 'envelope.json')), defs) as SchemaNode,
  };
  const events = await loadFolder(join(schemasDir, 'events'), defs);
  const rpc = await loadFolder(join(schemasDir, 'rpc'), defs);

  const typeChunks = await Promise.all([...events, ...rpc].map(toTypes));
  // Nested titled schemas (e.g. SyncedTask) are emitted by every file that contains them.
  const seen = new Set<string>();
  const declarations = typeChunks
    .join('\n')
    .split(/\n(?=export )/)
    .filter((decl) => {
      const name = /^export (?:interface|type) (\w+)/.exec(decl.trim())?.[1] ?? decl;
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
  ].join('\n');

  const schemas = [
    HEADER,
    `export const envelopeSchema = ${JSON.stringify(envelope.schema)} as const;`,
    ...[...events, ...rpc].map(
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
  ].join('\n');

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
  ];
}
