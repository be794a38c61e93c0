import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A JSON Schema as read from disk; only the keys the generator looks at are typed. */
export type SchemaNode = { [key: string]: unknown };

export async function readJson(path: string): Promise<SchemaNode> {
  return JSON.parse(await readFile(path, 'utf8')) as SchemaNode;
}

/** The definition a `$ref` into `common/defs.json` names (`#/definitions/X` inside defs.json). */
export function defName(ref: string): string | undefined {
  return /^(?:(?:\.\.\/)*(?:common\/)?defs\.json)?#\/definitions\/(\w+)$/.exec(ref)?.[1];
}

/**
 * Inlines every `$ref` into `common/defs.json`, so each schema stands alone at run time. A
 * definition referenced twice in one schema is inlined as one shared object, so the type
 * generator declares its titled type once (not `ScoreCandidate` and `ScoreCandidate1`).
 */
export function inlineRefs(
  node: unknown,
  defs: SchemaNode,
  inlined = new Map<string, unknown>(),
): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, defs, inlined));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as SchemaNode)['$ref'];
  if (typeof ref === 'string') {
    const name = defName(ref);
    const target = name ? defs[name] : undefined;
    if (!name || !target) throw new Error(`Unresolvable $ref ${ref}`);
    if (!inlined.has(name)) inlined.set(name, inlineRefs(target, defs, inlined));
    return inlined.get(name);
  }
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$id' || key === '$schema') continue;
    out[key] = inlineRefs(value, defs, inlined);
  }
  return out;
}

export interface Loaded {
  file: string;
  title: string;
  /** As written, `$ref`s and all (the OpenAPI document keeps the references). */
  raw: SchemaNode;
  /** Every `$ref` inlined (what the validators and types are built from). */
  schema: SchemaNode;
}

/** Every `*.json` schema of `dir` except `skip`, sorted by file name; each needs a title. */
export async function loadFolder(
  dir: string,
  defs: SchemaNode,
  skip: string[] = [],
): Promise<Loaded[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !skip.includes(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = await readJson(join(dir, file));
      const title = raw['title'];
      if (typeof title !== 'string') throw new Error(`${file} needs a title (the type name)`);
      return { file, title, raw, schema: inlineRefs(raw, defs) as SchemaNode };
    }),
  );
}
