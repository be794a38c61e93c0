/**
 * The one list of oO's services (ARCHITECTURE.md §1, §5), in start order: the gateway last, as
 * it needs auth's session keys to serve. What else names the services derives from it — `npm
 * start`, migrations and test databases (`postgres`), the deletion saga (`holdsUserData`), each
 * service's default port — or is checked against it by libs/devkit's registry spec
 * (docker-compose.yml, deploy/k8s, services/<name>). Adding a service is one entry here plus
 * what that spec points at.
 */
export const SERVICE_REGISTRY = [
  { name: 'scorer', port: 3005, postgres: false, redis: true, holdsUserData: true },
  { name: 'auth', port: 3001, postgres: true, redis: false, holdsUserData: true },
  { name: 'profile', port: 3002, postgres: true, redis: false, holdsUserData: true },
  { name: 'integrations', port: 3003, postgres: true, redis: true, holdsUserData: true },
  { name: 'recommender', port: 3004, postgres: true, redis: false, holdsUserData: true },
  { name: 'notifier', port: 3006, postgres: true, redis: true, holdsUserData: true },
  { name: 'gateway', port: 3000, postgres: false, redis: true, holdsUserData: false },
] as const;

export interface ServiceEntry {
  readonly name: string;
  /** The development default of `PORT`; `OO_PORT_BASE` shifts all of them together. */
  readonly port: number;
  /** Owns a Postgres schema named like the service (`services/<name>/prisma`). */
  readonly postgres: boolean;
  readonly redis: boolean;
  /** Keeps something about a user, so it must purge and confirm when the user is deleted. */
  readonly holdsUserData: boolean;
}

type Registered = (typeof SERVICE_REGISTRY)[number];
export type ServiceName = Registered['name'];
export type DatabaseServiceName = Extract<Registered, { postgres: true }>['name'];

/** The default port of one service. */
export function defaultPort(name: ServiceName): number {
  return SERVICE_REGISTRY.find((service) => service.name === name)!.port;
}

/** Services that own a Postgres schema, in registry order. */
export const DATABASE_SERVICE_NAMES: readonly DatabaseServiceName[] = SERVICE_REGISTRY.filter(
  (service): service is Extract<Registered, { postgres: true }> => service.postgres,
).map((service) => service.name);

/** Services that must confirm a user's purge before the saga ends. */
export const SERVICES_HOLDING_USER_DATA: readonly ServiceName[] = SERVICE_REGISTRY.filter(
  (service) => service.holdsUserData,
).map((service) => service.name);
