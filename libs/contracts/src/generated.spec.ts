import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDrift, generateContracts, OPENAPI_PATH } from '../scripts/codegen.js';

const rootDir = fileURLToPath(new URL('../../../', import.meta.url));
const TYPES = 'libs/contracts/src/generated/types.ts';
const SCHEMAS = 'libs/contracts/src/generated/schemas.ts';

type Json = Record<string, unknown>;

/** A copy of schemas/ to edit, so a test can change a schema without touching the real one. */
async function schemasCopy(): Promise<{
  dir: string;
  edit: (file: string, change: (schema: Json) => void) => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'oo-schemas-'));
  await cp(join(rootDir, 'schemas'), dir, { recursive: true });
  return {
    dir,
    edit: async (file, change) => {
      const schema = JSON.parse(await readFile(join(dir, file), 'utf8')) as Json;
      change(schema);
      await writeFile(join(dir, file), JSON.stringify(schema));
    },
  };
}

describe('generated contracts and OpenAPI document', () => {
  const copies: string[] = [];
  afterAll(() => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('match schemas/ (run `npm run contracts:generate` after editing a schema)', async () => {
    const files = await generateContracts(rootDir);
    expect(files.map((file) => file.path)).toEqual([TYPES, SCHEMAS, OPENAPI_PATH]);
    expect(await findDrift(rootDir, files)).toEqual([]);
  });

  it('report drift when an HTTP body schema changes without regenerating', async () => {
    const schemas = await schemasCopy();
    copies.push(schemas.dir);
    await schemas.edit('http/me.update.body.json', (schema) => {
      (schema['properties'] as Json)['theme'] = { type: 'string', enum: ['light', 'dark'] };
    });
    const files = await generateContracts(rootDir, schemas.dir);
    expect(await findDrift(rootDir, files)).toEqual([TYPES, SCHEMAS, OPENAPI_PATH]);
    const openApi = JSON.parse(files.find((file) => file.path === OPENAPI_PATH)!.content) as {
      components: { schemas: { ProfileChanges: { properties: Json } } };
    };
    expect(openApi.components.schemas.ProfileChanges.properties['theme']).toEqual({
      type: 'string',
      enum: ['light', 'dark'],
    });
  });

  it('report OpenAPI drift when a shared definition an HTTP route uses changes', async () => {
    const schemas = await schemasCopy();
    copies.push(schemas.dir);
    await schemas.edit('common/defs.json', (defs) => {
      ((defs['definitions'] as Json)['TermsVersion'] as Json)['maxLength'] = 64;
    });
    const files = await generateContracts(rootDir, schemas.dir);
    expect(await findDrift(rootDir, files)).toContain(OPENAPI_PATH);
  });

  it('report drift when a route is added to the table without regenerating', async () => {
    const schemas = await schemasCopy();
    copies.push(schemas.dir);
    await schemas.edit('http/routes.json', (table) => {
      (table['routes'] as Json)['tips.next'] = {
        method: 'get',
        path: '/api/tips/next',
        access: 'signed-in',
        summary: 'The next tip',
        responses: { '200': { description: 'a tip' } },
      };
    });
    const files = await generateContracts(rootDir, schemas.dir);
    expect(await findDrift(rootDir, files)).toEqual([TYPES, SCHEMAS, OPENAPI_PATH]);
  });

  it('refuses a body or query schema that names no route', async () => {
    const schemas = await schemasCopy();
    copies.push(schemas.dir);
    await cp(
      join(schemas.dir, 'http/me.update.body.json'),
      join(schemas.dir, 'http/me.replace.body.json'),
    );
    await expect(generateContracts(rootDir, schemas.dir)).rejects.toThrow(
      'schemas/http/me.replace.body.json names no route',
    );
  });
});
