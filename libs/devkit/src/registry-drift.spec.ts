import { SERVICE_REGISTRY, type ServiceEntry } from '@oo/config';
import { fileURLToPath } from 'node:url';
import { registryDrift } from './registry-drift.js';

describe('the service registry and the places that cannot import it', () => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));

  it('agree: docker-compose.yml, deploy/k8s and services/ name the same services and ports', () => {
    expect(registryDrift(SERVICE_REGISTRY, root)).toEqual([]);
  });

  it('disagree as soon as an eighth service is registered, naming every file to change', () => {
    const planner: ServiceEntry = {
      name: 'planner',
      port: 3007,
      postgres: false,
      redis: true,
      holdsUserData: true,
    };
    expect(registryDrift([...SERVICE_REGISTRY, planner], root)).toEqual([
      'services/: planner is missing',
      'docker-compose.yml services: planner is missing',
      'deploy/k8s/kustomization.yaml resources: services/planner.yaml is missing',
      'deploy/k8s/kustomization.yaml images: oo-planner is missing',
      'deploy/k8s/services/planner.yaml is missing',
    ]);
  });

  it('notice a port that moved in one place only', () => {
    const moved = SERVICE_REGISTRY.map((service) =>
      service.name === 'scorer' ? { ...service, port: 3999 } : service,
    );
    expect(registryDrift(moved, root)).toEqual([
      'docker-compose.yml scorer: PORT 3005 ≠ 3999',
      'deploy/k8s/services/scorer.yaml: containerPort 3005 ≠ 3999',
    ]);
  });
});
