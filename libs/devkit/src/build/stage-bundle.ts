import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

import { DATABASE_SERVICE_NAMES, SERVICE_REGISTRY } from '@oo/config';

import { productionPackages } from './production-packages.js';
import { listProjects, runtimeClosure, type WorkspaceProject } from './workspace-projects.js';

/** What can be bundled: one service, or the migrator that applies every service's migrations. */
export const BUNDLE_TARGETS = [...SERVICE_REGISTRY.map((service) => service.name), 'migrate'];

export interface StagedBundle {
  readonly target: string;
  readonly outDir: string;
  /** Workspace projects in the bundle (`libs/config`, `services/profile`, …). */
  readonly projects: readonly string[];
  /** Third-party packages copied into its node_modules. */
  readonly packages: number;
}

/**
 * Stages what production runs for `target` into `outDir`, laid out like the workspace so every
 * relative path the code computes from `import.meta.url` still holds (libs/config's `.data/`,
 * libs/database's migrations lookup):
 *
 *     main.js                 the entry point: `node main.js`
 *     package.json            the production dependencies (no devDependencies, no scripts)
 *     nx.json                 marks the workspace root for libs/database
 *     libs/<lib>/             package.json + dist/, only the libs the target imports
 *     services/<svc>/         package.json + dist/ (+ prisma/migrations for a database service)
 *     web/dist/               the built SPA (gateway only)
 *     node_modules/           production packages; @oo/<lib> link to ../../libs/<lib> as npm's do
 *
 * The projects must be compiled first (`compileWorkspace`). Nothing else of the workspace is
 * read at run time, so `outDir` can be copied as it is into an image: with `node_modules` but
 * without swc, TypeScript, Jest or any devDependency.
 */
export async function stageBundle(
  root: string,
  target: string,
  outDir: string,
): Promise<StagedBundle> {
  if (!BUNDLE_TARGETS.includes(target)) {
    throw new Error(`Unknown bundle "${target}"; expected one of: ${BUNDLE_TARGETS.join(', ')}`);
  }
  const projects = await listProjects(root);
  const entry =
    target === 'migrate'
      ? projectAt(projects, 'libs/database')
      : projectAt(projects, `services/${target}`);
  const needed = await runtimeClosure(root, projects, [entry]);
  const migrationsOf = target === 'migrate' ? DATABASE_SERVICE_NAMES : databaseServices(target);

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  for (const project of needed) {
    for (const part of ['package.json', 'dist']) await copyInto(root, project.path, part, outDir);
    if (project.path.startsWith('libs/')) {
      const link = join(outDir, 'node_modules', project.packageName);
      await mkdir(dirname(link), { recursive: true });
      await symlink(relative(dirname(link), join(outDir, project.path)), link, 'dir');
    }
  }
  for (const service of migrationsOf) {
    await copyInto(root, `services/${service}`, 'prisma/migrations', outDir);
  }
  // The gateway serves the SPA from web/dist, found at the same place relative to its code.
  if (target === 'gateway') {
    if (!existsSync(join(root, 'web/dist/index.html'))) {
      throw new Error('the web app is not built (no web/dist/index.html): run npm run web:build');
    }
    await cp(join(root, 'web/dist'), join(outDir, 'web/dist'), { recursive: true });
  }

  const packages = await productionPackages(root);
  // Outer packages before the ones nested in them, which would otherwise create their parent.
  for (const level of byNesting(packages)) {
    await Promise.all(level.map((path) => copyPackage(root, path, outDir)));
  }

  await writeFile(join(outDir, 'package.json'), await bundleManifest(root, target));
  await writeFile(join(outDir, 'nx.json'), '{}\n');
  await writeFile(join(outDir, 'main.js'), entryModule(target));
  return {
    target,
    outDir,
    projects: needed.map((project) => project.path),
    packages: packages.length,
  };
}

function projectAt(projects: readonly WorkspaceProject[], path: string): WorkspaceProject {
  const project = projects.find((candidate) => candidate.path === path);
  if (!project) throw new Error(`No workspace project at ${path}`);
  return project;
}

function databaseServices(target: string): readonly string[] {
  return (DATABASE_SERVICE_NAMES as readonly string[]).includes(target) ? [target] : [];
}

async function copyInto(root: string, project: string, part: string, outDir: string) {
  const source = join(root, project, part);
  if (part === 'dist' && !existsSync(source)) {
    throw new Error(`${project} is not compiled (no ${project}/dist): run npm run build first`);
  }
  if (!existsSync(source)) return;
  await cp(source, join(outDir, project, part), { recursive: true });
}

function byNesting(paths: readonly string[]): string[][] {
  const levels: string[][] = [];
  for (const path of paths) {
    const depth = path.split('node_modules/').length - 2;
    (levels[depth] ??= []).push(path);
  }
  return levels.filter(Boolean);
}

/**
 * Files of production packages that nothing loads: @prisma/client ships a query compiler for
 * every database it supports (about 55 MB); the generated clients import the PostgreSQL ones.
 */
const UNUSED_FILES = [
  /^node_modules\/@prisma\/client\/runtime\/query_compiler_\w+_bg\.(?:cockroachdb|mysql|sqlite|sqlserver)\./,
];

/** One package without its nested node_modules: the nested packages production needs are listed on their own. */
async function copyPackage(root: string, path: string, outDir: string): Promise<void> {
  const source = join(root, path);
  const nested = join(source, 'node_modules');
  await cp(source, join(outDir, path), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (file) =>
      file !== nested && !UNUSED_FILES.some((pattern) => pattern.test(relative(root, file))),
  });
}

/** The root manifest: the workspace's runtime dependencies, so the bundle says what it carries. */
async function bundleManifest(root: string, target: string): Promise<string> {
  const workspace = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    engines?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  const manifest = {
    name: `oo-${target}`,
    private: true,
    type: 'module',
    description: `oO ${target}, compiled, with production dependencies only (npm run bundle)`,
    engines: workspace.engines,
    dependencies: workspace.dependencies,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function entryModule(target: string): string {
  const entry =
    target === 'migrate'
      ? './libs/database/dist/cli/migrate.js'
      : `./services/${target}/dist/main.js`;
  const what =
    target === 'migrate' ? 'the migrator (arguments: service names)' : `the ${target} service`;
  return `// Runs ${what}: \`node main.js\`. Generated by npm run bundle.\nimport '${entry}';\n`;
}
