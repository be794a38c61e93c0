import type { RpcError } from './generated/types.js';

/** NATS subjects of the RPCs other parts rely on. WARNING: contracts; never rename. */
export const RPC = {
  auth: {
    keys: 'rpc.auth.keys',
  },
  scorer: {
    score: 'rpc.scorer.score',
    stats: 'rpc.scorer.stats',
    reset: 'rpc.scorer.reset',
    refreshPrior: 'rpc.scorer.refresh_prior',
  },
  profile: {
    get: 'rpc.profile.get',
    update: 'rpc.profile.update',
    legal: 'rpc.profile.legal',
    delete: 'rpc.profile.delete',
    deletionStatus: 'rpc.profile.deletion_status',
  },
  recommender: {
    recommend: 'rpc.recommender.recommend',
    tip: 'rpc.recommender.tip',
    feedback: 'rpc.recommender.feedback',
    metrics: 'rpc.recommender.metrics',
    evaluate: 'rpc.recommender.evaluate',
  },
  notifier: {
    subscribe: 'rpc.notifier.subscribe',
    unsubscribe: 'rpc.notifier.unsubscribe',
    list: 'rpc.notifier.list',
    vapidPublicKey: 'rpc.notifier.vapid_public_key',
  },
  integrations: {
    tasks: 'rpc.integrations.tasks',
    list: 'rpc.integrations.list',
    disconnect: 'rpc.integrations.disconnect',
    connectUrl: 'rpc.integrations.connect_url',
    complete: 'rpc.integrations.complete',
    webhook: 'rpc.integrations.webhook',
  },
} as const;

/** Builds the `err` of a failed RPC reply. */
export function rpcError(code: RpcError['code'], message: string, field?: string): RpcError {
  return field === undefined ? { code, message } : { code, message, field };
}
