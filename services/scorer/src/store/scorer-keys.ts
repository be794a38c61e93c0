import { createHash } from 'node:crypto';

/** Where live state lives, and where a rebuild writes before it is swapped in. */
export type KeySpace = 'oo:scorer' | 'oo:scorer-rebuild';

/**
 * The scorer's Redis keys. Every key of one user carries the user id as its hash tag, so in a
 * Redis Cluster all of them sit on one slot and one Lua script can update them atomically.
 * WARNING: stored data; renaming a key strands every model.
 */
export class ScorerKeys {
  constructor(readonly space: KeySpace = 'oo:scorer') {}

  /** One model: `oo:scorer:{<userId>}:<policy>`. */
  model(userId: string, policy: string): string {
    return `${this.space}:{${userId}}:${policy}`;
  }

  /** Event ids already applied (sorted set scored by time applied), for idempotency. */
  applied(userId: string): string {
    return `${this.space}:{${userId}}:applied`;
  }

  /** The policies this user has a model for: what erasure must delete. */
  policies(userId: string): string {
    return `${this.space}:{${userId}}:policies`;
  }

  /** SCAN pattern of every model of one policy (prefix it with the client's key prefix). */
  modelPattern(policy: string): string {
    return `${this.space}:{*}:${policy}`;
  }

  /** The user id inside a key of this space, or undefined. */
  userOf(key: string): string | undefined {
    const start = key.indexOf(`${this.space}:{`);
    if (start < 0) return undefined;
    const from = start + this.space.length + 2;
    const end = key.indexOf('}', from);
    return end < 0 ? undefined : key.slice(from, end);
  }
}

/** Not per user: the population prior of each policy, and the lock of its estimation. */
export const PRIOR_KEY = (policy: string): string => `oo:scorer:prior:${policy}`;
export const PRIOR_LOCK_KEY = 'oo:scorer:prior:lock';
/** Model updates (and erasures) since the system began, and that count at the last estimate. */
export const PRIOR_UPDATES_KEY = 'oo:scorer:prior:updates';
export const PRIOR_MARK_KEY = 'oo:scorer:prior:mark';

/**
 * Erased users, so a feedback event still in flight cannot bring a deleted user's model back.
 * Members are SHA-256 digests: the set names no user.
 */
export const ERASED_KEY = 'oo:scorer:erased';

// Every feedback event checks its user against the erased set: remember recent digests.
const digests = new Map<string, string>();
const DIGEST_CACHE_SIZE = 10_000;

export function erasedMember(userId: string): string {
  let digest = digests.get(userId);
  if (digest === undefined) {
    digest = createHash('sha256').update(userId).digest('hex');
    if (digests.size >= DIGEST_CACHE_SIZE) digests.clear();
    digests.set(userId, digest);
  }
  return digest;
}
