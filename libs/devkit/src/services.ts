/** The seven services, in start order, with their default ports (ARCHITECTURE.md §5). */
export const SERVICES = [
  { name: 'scorer', port: 3005 },
  { name: 'auth', port: 3001 },
  { name: 'profile', port: 3002 },
  { name: 'integrations', port: 3003 },
  { name: 'recommender', port: 3004 },
  { name: 'notifier', port: 3006 },
  { name: 'gateway', port: 3000 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

/** Ports move together: base 3000 gives the defaults, base 23000 gives 23000–23006. */
export function servicePort(port: number, base: number): number {
  return base + (port - 3000);
}
