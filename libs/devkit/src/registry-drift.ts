import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceEntry } from '@oo/config';
import { parse, parseAllDocuments } from 'yaml';

interface ComposeFile {
  services?: Record<
    string,
    { build?: { args?: { SERVICE?: string } }; environment?: { PORT?: string } }
  >;
}
interface Kustomization {
  resources?: string[];
  images?: Array<{ name: string }>;
}
interface Manifest {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    template?: { spec?: { containers?: Array<{ ports?: Array<{ containerPort?: number }> }> } };
  };
}

const readYaml = <T>(root: string, path: string): T =>
  parse(readFileSync(join(root, path), 'utf8')) as T;

/** Names in `actual` and `expected` that the other lacks, as readable lines. */
function compare(place: string, expected: string[], actual: string[]): string[] {
  const missing = expected.filter((name) => !actual.includes(name));
  const extra = actual.filter((name) => !expected.includes(name));
  return [
    ...missing.map((name) => `${place}: ${name} is missing`),
    ...extra.map((name) => `${place}: ${name} is not in the service registry`),
  ];
}

/**
 * The places that name the services but cannot import the registry (YAML for Docker and
 * Kubernetes, the service folders), compared with it. Empty when everything agrees; otherwise
 * one line per disagreement, naming the file to change.
 */
export function registryDrift(registry: readonly ServiceEntry[], root: string): string[] {
  const names = registry.map((service) => service.name);
  const problems: string[] = [];

  problems.push(
    ...compare(
      'services/',
      names,
      readdirSync(join(root, 'services')).filter((dir) =>
        existsSync(join(root, 'services', dir, 'src', 'main.ts')),
      ),
    ),
  );
  for (const service of registry) {
    const prisma = existsSync(join(root, 'services', service.name, 'prisma', 'schema.prisma'));
    if (prisma !== service.postgres)
      problems.push(
        `services/${service.name}/prisma: the registry says postgres: ${service.postgres}, the folder ${prisma ? 'has' : 'has no'} schema.prisma`,
      );
  }

  const compose = readYaml<ComposeFile>(root, 'docker-compose.yml');
  const composed = Object.entries(compose.services ?? {}).filter(
    ([, definition]) => definition.build?.args?.SERVICE,
  );
  problems.push(
    ...compare(
      'docker-compose.yml services',
      names,
      composed.map(([, definition]) => definition.build!.args!.SERVICE!),
    ),
  );
  for (const [key, definition] of composed) {
    const entry = registry.find((service) => service.name === definition.build!.args!.SERVICE);
    if (entry && definition.environment?.PORT !== String(entry.port))
      problems.push(
        `docker-compose.yml ${key}: PORT ${definition.environment?.PORT} ≠ ${entry.port}`,
      );
  }

  const kustomization = readYaml<Kustomization>(root, 'deploy/k8s/kustomization.yaml');
  problems.push(
    ...compare(
      'deploy/k8s/kustomization.yaml resources',
      names.map((name) => `services/${name}.yaml`),
      (kustomization.resources ?? []).filter((path) => path.startsWith('services/')),
    ),
    ...compare(
      'deploy/k8s/kustomization.yaml images',
      names.map((name) => `oo-${name}`),
      (kustomization.images ?? [])
        .map((image) => image.name)
        .filter((name) => name !== 'oo-migrate'),
    ),
  );

  for (const service of registry) {
    const path = `deploy/k8s/services/${service.name}.yaml`;
    if (!existsSync(join(root, path))) {
      problems.push(`${path} is missing`);
      continue;
    }
    const deployment = parseAllDocuments(readFileSync(join(root, path), 'utf8'))
      .map((document) => document.toJS() as Manifest)
      .find((manifest) => manifest.kind === 'Deployment');
    const port = deployment?.spec?.template?.spec?.containers?.[0]?.ports?.[0]?.containerPort;
    if (deployment?.metadata?.name !== service.name)
      problems.push(`${path}: no Deployment named ${service.name}`);
    else if (port !== service.port)
      problems.push(`${path}: containerPort ${port} ≠ ${service.port}`);
  }
  return problems;
}
