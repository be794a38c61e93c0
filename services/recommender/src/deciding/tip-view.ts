import type { Tip, TipWhy } from '@oo/contracts';
import type { StoredTip } from '../tips/tip.repository.js';

/** Tips logged before explanations were stored carry none; they say so plainly. */
const UNEXPLAINED: TipWhy = {
  kind: 'learning',
  reasons: [],
  summary: 'oO picked this from your open tasks.',
};

/** A logged tip as the SPA is shown it: the same facts every time it is served. */
export function tipView(tip: StoredTip): Tip {
  return {
    tipId: tip.id,
    taskId: tip.taskId,
    title: tip.title,
    source: tip.provider,
    priority: tip.priority,
    due: tip.due,
    url: tip.url,
    servedAt: tip.servedAt.toISOString(),
    why: tip.why ?? UNEXPLAINED,
    explored: tip.explored,
    policy: tip.policy,
  };
}
