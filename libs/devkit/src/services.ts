import { SERVICE_REGISTRY } from '@oo/config';

/** The services in start order, with their default ports: the registry in @oo/config. */
export const SERVICES = SERVICE_REGISTRY;

export type { ServiceName } from '@oo/config';

/** Ports move together: base 3000 gives the defaults, base 23000 gives 23000–23006. */
export function servicePort(port: number, base: number): number {
  return base + (port - 3000);
}
