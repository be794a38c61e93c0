import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A lib or service of the workspace: a folder under libs/ or services/ with src/ and a package.json. */
export interface WorkspaceProject {
  /** The package name, e.g. `@oo/config`. */
  readonly packageName: string;
  /** The folder relative to the workspace root, e.g. `libs/config`. */
  readonly path: string;
}

/** Every project of the workspace, libs first. */
export async function listProjects(root: string): Promise<WorkspaceProject[]> {
  const projects: WorkspaceProject[] = [];
  for (const group of ['libs', 'services']) {
    const entries = await readdir(join(root, group), { withFileTypes: true });
    for (const entry of entries.filter((candidate) => candidate.isDirectory()).sort(byName)) {
      const dir = join(root, group, entry.name);
      if (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src'))) continue;
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name: string;
      };
      projects.push({ packageName: manifest.name, path: relative(root, dir) });
    }
  }
  return projects;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name);
}

// Static imports, re-exports and dynamic imports of a workspace package in compiled ES modules.
const WORKSPACE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](@oo\/[a-z0-9-]+)/g;

/** The workspace packages that the compiled JavaScript under `distDir` imports. */
export async function importedWorkspacePackages(distDir: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (const entry of await readdir(distDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const code = await readFile(join(entry.parentPath, entry.name), 'utf8');
    for (const match of code.matchAll(WORKSPACE_SPECIFIER)) found.add(match[1]!);
  }
  return found;
}

/**
 * The projects a set of entry projects needs at run time: themselves plus every workspace lib
 * their compiled code imports, transitively. Needs `dist/` built for all of them.
 */
export async function runtimeClosure(
  root: string,
  projects: readonly WorkspaceProject[],
  entries: readonly WorkspaceProject[],
): Promise<WorkspaceProject[]> {
  const byPackage = new Map(projects.map((project) => [project.packageName, project]));
  const needed = new Map<string, WorkspaceProject>();
  const queue = [...entries];
  while (queue.length > 0) {
    const project = queue.shift()!;
    if (needed.has(project.packageName)) continue;
    needed.set(project.packageName, project);
    for (const name of await importedWorkspacePackages(join(root, project.path, 'dist'))) {
      const dependency = byPackage.get(name);
      if (!dependency)
        throw new Error(`${project.path} imports ${name}, which is no workspace lib`);
      queue.push(dependency);
    }
  }
  return [...needed.values()];
}
