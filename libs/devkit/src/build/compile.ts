import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

import { transformFile, type JscConfig, type Options } from '@swc/core';

import { listProjects } from './workspace-projects.js';

/**
 * What swc does to every TypeScript file for production: the same transform as the tests'
 * (jest.config.js) and swc-node's at development time — legacy decorators with emitted
 * parameter types, which NestJS's dependency injection reads at run time, and class fields
 * assigned in the constructor (`useDefineForClassFields: false`, as tsconfig.base.json says),
 * so decorated properties are not shadowed. Imports keep their `.js` specifiers (NodeNext);
 * a relative `.ts` specifier becomes `.js`.
 */
const SWC_OPTIONS: Options = {
  swcrc: false,
  configFile: false,
  sourceMaps: true,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
    // Prisma's generated clients import `./client.ts`; swc supports this, its types lag behind.
    rewriteRelativeImportExtensions: true,
    // Keep `with { type: 'json' }` (the generated OpenAPI document): Node refuses JSON without it.
    experimental: { keepImportAttributes: true },
  } as JscConfig,
  module: { type: 'es6' },
};

/** Test code stays out of dist/: it is neither shipped nor run from there. */
function isTestFile(name: string): boolean {
  return /\.(spec|int-spec)\.ts$/.test(name);
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

export interface CompiledProject {
  /** JavaScript files written. */
  readonly compiled: number;
  /** Other files copied as they are (Markdown texts, Lua scripts, …). */
  readonly copied: number;
}

/**
 * Compiles `<projectDir>/src` into a fresh `<projectDir>/dist`, file by file with the same
 * relative paths, so `dist/index.js` is what the package's `default` export names and
 * `new URL('./x.md', import.meta.url)` still finds its neighbour. Non-TypeScript files are
 * copied next to the compiled ones; specs are left out.
 */
export async function compileProject(projectDir: string): Promise<CompiledProject> {
  const srcDir = join(projectDir, 'src');
  const distDir = join(projectDir, 'dist');
  await rm(distDir, { recursive: true, force: true });
  const jobs: Array<Promise<'compiled' | 'copied'>> = [];
  for await (const file of filesUnder(srcDir)) {
    const name = relative(srcDir, file);
    if (isTestFile(name) || name.endsWith('.d.ts')) continue;
    const target = join(distDir, name);
    jobs.push(
      name.endsWith('.ts')
        ? compileFile(file, target.replace(/\.ts$/, '.js')).then(() => 'compiled' as const)
        : mkdir(dirname(target), { recursive: true })
            .then(() => copyFile(file, target))
            .then(() => 'copied' as const),
    );
  }
  const results = await Promise.all(jobs);
  return {
    compiled: results.filter((result) => result === 'compiled').length,
    copied: results.filter((result) => result === 'copied').length,
  };
}

async function compileFile(source: string, target: string): Promise<void> {
  const output = await transformFile(source, {
    ...SWC_OPTIONS,
    filename: source,
    sourceFileName: relative(dirname(target), source),
  });
  const mapName = `${target.slice(dirname(target).length + 1)}.map`;
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${output.code}\n//# sourceMappingURL=${mapName}\n`);
  if (output.map) await writeFile(`${target}.map`, output.map);
}

/**
 * Compiles every lib and service of the workspace into its own `dist/`. The Prisma clients
 * must have been generated (`npm run db:generate`, which `npm install` runs): they are compiled
 * with their service.
 */
export async function compileWorkspace(root: string): Promise<Map<string, CompiledProject>> {
  const projects = await listProjects(root);
  for (const project of projects) {
    const dir = join(root, project.path);
    if (
      existsSync(join(dir, 'prisma', 'schema.prisma')) &&
      !existsSync(join(dir, 'src', 'generated', 'prisma'))
    ) {
      throw new Error(`${project.path} has no generated Prisma client: run npm run db:generate`);
    }
  }
  const results = await Promise.all(
    projects.map(
      async (project) => [project.path, await compileProject(join(root, project.path))] as const,
    ),
  );
  return new Map(results);
}
