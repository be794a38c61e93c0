import type { IntegrationSummary } from '../api/oo-api';
import type { EmptyKind } from './tip-state';

/** Why GET /api/tip had nothing (204), from how the task apps stand. */
export function emptyKindOf(integrations: readonly IntegrationSummary[]): EmptyKind {
  const todoist = integrations.find((integration) => integration.provider === 'todoist');
  if (todoist?.status === 'needs_reconnect') return 'needs_reconnect';
  if (todoist?.status === 'syncing') return 'syncing';
  const anyConnected = integrations.some(
    (integration) => integration.connected && integration.status !== 'not_connected',
  );
  return anyConnected ? 'nothing' : 'not_connected';
}
