// GENERATED from schemas/ by `npm run contracts:generate`. Do not edit.

/**
 * signals.integration.connected.<userId>.
 */
export interface IntegrationConnectedV1 {
  provider: string;
}

/**
 * signals.integration.disconnected.<userId>.
 */
export interface IntegrationDisconnectedV1 {
  provider: string;
}

/**
 * signals.profile.updated.<userId>: the user's settings that decide when to push, whole after every change (a consumer keeps the newest by updatedAt).
 */
export interface ProfileUpdatedV1 {
  /**
   * An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).
   */
  timezone: string;
  /**
   * No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).
   */
  quietHours: {
    /**
     * A wall-clock time HH:MM (24 h).
     */
    start: string;
    /**
     * A wall-clock time HH:MM (24 h).
     */
    end: string;
  };
  /**
   * Whether the user wants push notifications.
   */
  push: {
    enabled: boolean;
  };
  updatedAt: string;
}

/**
 * signals.push.sent.<userId>: the outcome of one Web Push delivery attempt to one device.
 */
export interface PushSentV1 {
  tipId: string;
  /**
   * SHA-256 of the push endpoint (hex); the endpoint itself is a secret.
   */
  endpointHash: string;
  /**
   * sent: the push service accepted it (201/202); gone: the subscription no longer exists (404/410; deleted here); failed: 5xx, timeout or network, after the bounded retries; rate_limited: 429, not retried before Retry-After; rejected: 400/401/403/413, a configuration error (added to v1 additively).
   */
  status: 'sent' | 'failed' | 'gone' | 'rate_limited' | 'rejected';
  /**
   * The push service's HTTP status; absent when none came (timeout, network).
   */
  statusCode?: number;
  /**
   * Requests made for this outcome (retries included).
   */
  attempts?: number;
}

/**
 * signals.task.completed.<userId>: a task was closed, in the source app or by oO.
 */
export interface TaskCompletedV1 {
  source: string;
  taskId: string;
  completedAt: string;
  via: 'webhook' | 'reconcile' | 'oo';
}

/**
 * signals.task.synced.<userId>: the full set of open tasks read from one source.
 */
export interface TaskSyncedV1 {
  source: string;
  /**
   * @maxItems 5000
   */
  tasks: SyncedTask[];
}
/**
 * One open task as oO reads it from a task app (signals.task.synced, rpc.integrations.tasks).
 */
export interface SyncedTask {
  taskId: string;
  title: string;
  /**
   * 1 (normal) to 4 (urgent).
   */
  priority: number;
  /**
   * A date (all-day), a date-time with an offset (a fixed instant), a date-time without one (floating: read it on the user's own clock), or null when the task has no due date.
   */
  due: string | null;
  /**
   * The IANA zone the task's due time was set in; null (or absent) when the due time is floating — read in the user's own zone — or the task is all-day or has no due date.
   */
  dueTimezone?: string | null;
  addedAt: string;
  isRecurring: boolean;
  /**
   * Where the task opens in its app.
   */
  url?: string;
}

/**
 * signals.tip.feedback.<userId>: a reaction to a tip and its reward; the scorer learns from (features, reward).
 */
export interface TipFeedbackV1 {
  tipId: string;
  taskId: string;
  action: 'done' | 'dismiss' | 'snooze' | 'helpful' | 'not_helpful' | 'expired';
  reward: number;
  policy: string;
  /**
   * @minItems 1
   * @maxItems 64
   */
  features: number[];
  propensity: number;
  /**
   * The same reaction as seen by each shadow policy (its own features of the served task), so shadow models learn from every reaction too. Optional: older events have none.
   *
   * @maxItems 16
   */
  shadow?: ShadowObservation[];
  /**
   * Who reported the reaction: the user (the default when absent), or oO itself on seeing the task completed at its app (webhook, reconcile) or the tip expire. Only `user` closes the task at its app.
   */
  source?: 'user' | 'webhook' | 'reconcile' | 'expiry';
}
export interface ShadowObservation {
  policy: string;
  /**
   * @minItems 1
   * @maxItems 64
   */
  features: number[];
}

/**
 * signals.tip.served.<userId>: one tip was shown (or pushed), with what the policy saw, so that any other policy can be evaluated offline.
 */
export interface TipServedV1 {
  tipId: string;
  taskId: string;
  policy: string;
  /**
   * @minItems 1
   * @maxItems 64
   */
  features: number[];
  score: number;
  /**
   * Probability with which the live policy chose this tip.
   */
  propensity: number;
  candidates: number;
  channel: 'web' | 'push';
  /**
   * What each shadow policy would have chosen: scored and logged, never shown.
   */
  shadow: ShadowChoice[];
}
export interface ShadowChoice {
  policy: string;
  taskId: string;
  score: number;
  propensity: number;
}

/**
 * signals.user.deleted.<userId>: every service that holds data of this user purges it and confirms.
 */
export interface UserDeletedV1 {
  requestedAt: string;
}

/**
 * signals.user.purged.<userId>: one service confirms it holds nothing of the user any more (the deletion saga's confirmations, counted by profile).
 */
export interface UserPurgedV1 {
  service: string;
}

/**
 * signals.user.signed_up.<userId>: the first sign-in created the user.
 */
export interface UserSignedUpV1 {}

/**
 * rpc.auth.keys: the public keys that verify session tokens (the gateway verifies locally with them).
 */
export interface KeysRequest {}

/**
 * A JWK set (RFC 7517) of ES256 P-256 public keys; the first signs new sessions.
 */
export interface KeysResponse {
  /**
   * @minItems 1
   */
  keys: SessionPublicKey[];
}
export interface SessionPublicKey {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/**
 * The `err` of a Nest NATS reply when an RPC fails.
 */
export interface RpcError {
  code: 'invalid_request' | 'not_found' | 'conflict' | 'unavailable' | 'internal';
  message: string;
  /**
   * JSON path of the offending field, when one field is at fault.
   */
  field?: string;
}

/**
 * rpc.integrations.complete: the provider's OAuth callback, passed on by the gateway: check the state against the session, exchange the code, store the tokens.
 */
export interface IntegrationsCompleteRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * The id of the caller's session (the gateway's sid claim): an OAuth state is bound to it.
   */
  sessionId: string;
  provider: string;
  code?: string;
  state: string;
  /**
   * The provider's `error` query parameter (e.g. access_denied), when it sent one instead of a code.
   */
  error?: string;
}

export interface IntegrationsCompleteResponse {
  outcome: 'connected' | 'error';
  /**
   * Why the connection failed; the gateway sends the browser back with `?error=<this>`. account_in_use: that provider account is already connected to another oO user (webhooks name users by the provider's id, so one provider account serves one oO user).
   */
  error?:
    | 'access_denied'
    | 'bad_state'
    | 'provider_down'
    | 'exchange_failed'
    | 'account_in_use'
    | 'unknown_provider';
}

/**
 * rpc.integrations.connect_url: the provider's authorize URL, with an OAuth state bound to the caller's session.
 */
export interface IntegrationsConnectUrlRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * The id of the caller's session (the gateway's sid claim): an OAuth state is bound to it.
   */
  sessionId: string;
  provider: string;
}

export interface IntegrationsConnectUrlResponse {
  url: string;
}

/**
 * rpc.integrations.disconnect: revoke the provider's tokens and delete them with the user's task snapshot and cache.
 */
export interface IntegrationsDisconnectRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  provider: string;
}

export interface IntegrationsDisconnectResponse {
  ok: boolean;
}

/**
 * rpc.integrations.list: every provider oO supports and how the user's connection to it stands.
 */
export interface IntegrationsListRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
}

export interface IntegrationsListResponse {
  integrations: IntegrationSummary[];
}
export interface IntegrationSummary {
  provider: string;
  connected: boolean;
  connectedAt: string | null;
  lastSyncAt: string | null;
  /**
   * How a user's connection to a task app stands: ok; syncing (the first sync has not finished); needs_reconnect (the provider refused our tokens: the user must connect again); rate_limited (the provider asked us to wait); not_connected.
   */
  status: 'ok' | 'syncing' | 'needs_reconnect' | 'rate_limited' | 'not_connected';
}

/**
 * rpc.integrations.tasks: the user's open tasks, from the cache at once (refreshed in the background when stale); the recommender's only source of candidates.
 */
export interface IntegrationsTasksRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * Only these tasks: the reply holds those of them still open (none when none is), in the order of the set. For a caller that only checks tasks it already holds, e.g. that the task of a tip being shown again is still open.
   *
   * @maxItems 200
   */
  taskIds?: string[];
}

export interface IntegrationsTasksResponse {
  /**
   * @maxItems 5000
   */
  tasks: SyncedTask[];
  /**
   * When the tasks were read from the provider; null before the first sync.
   */
  syncedAt: string | null;
  /**
   * How a user's connection to a task app stands: ok; syncing (the first sync has not finished); needs_reconnect (the provider refused our tokens: the user must connect again); rate_limited (the provider asked us to wait); not_connected.
   */
  status: 'ok' | 'syncing' | 'needs_reconnect' | 'rate_limited' | 'not_connected';
}
/**
 * rpc.integrations.webhook: a provider's webhook delivery exactly as it arrived at the gateway; integrations verifies its signature over the raw bytes before reading it.
 */
export interface IntegrationsWebhookRequest {
  provider: string;
  /**
   * The delivery's HTTP headers, names lower-cased.
   */
  headers: {
    [k: string]: string | undefined;
  };
  /**
   * The request body, base64 (at most 512 KiB raw, so the request fits a NATS message).
   */
  rawBody: string;
}

export interface IntegrationsWebhookResponse {
  /**
   * The HTTP status the gateway answers the provider with.
   */
  status: number;
}

/**
 * rpc.notifier.list: the user's subscribed devices (without their secrets).
 */
export interface NotifierListRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
}

export interface NotifierListResponse {
  subscriptions: PushSubscriptionSummary[];
}
export interface PushSubscriptionSummary {
  /**
   * SHA-256 of the push endpoint (hex); the endpoint itself is a secret.
   */
  endpointHash: string;
  /**
   * The push service's host (e.g. fcm.googleapis.com): which browser family, not which device.
   */
  pushService: string;
  createdAt: string;
  lastSentAt: string | null;
}

/**
 * rpc.notifier.subscribe: store one device's push subscription for the user (again: its keys are replaced).
 */
export interface NotifierSubscribeRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  subscription: PushSubscription;
}
/**
 * What PushSubscription.toJSON() gives in the browser: the endpoint and the keys to encrypt for it (RFC 8291).
 */
export interface PushSubscription {
  /**
   * A push service URL the browser gave (PushSubscription.endpoint): https; a capability, so outside the notifier's own table it appears only as its hash.
   */
  endpoint: string;
  expirationTime?: number | null;
  keys: {
    /**
     * The browser's P-256 public key, uncompressed (65 bytes), base64url.
     */
    p256dh: string;
    /**
     * The 16-byte authentication secret, base64url.
     */
    auth: string;
  };
}

export interface NotifierSubscribeResponse {
  /**
   * SHA-256 of the push endpoint (hex); the endpoint itself is a secret.
   */
  endpointHash: string;
}

/**
 * rpc.notifier.unsubscribe: forget one of the user's devices, by its endpoint.
 */
export interface NotifierUnsubscribeRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * A push service URL the browser gave (PushSubscription.endpoint): https; a capability, so outside the notifier's own table it appears only as its hash.
   */
  endpoint: string;
}

export interface NotifierUnsubscribeResponse {
  /**
   * false when the user had no such subscription.
   */
  removed: boolean;
}

/**
 * rpc.notifier.vapid_public_key: the public half of the key pushes are signed with.
 */
export interface NotifierVapidPublicKeyRequest {}

export interface NotifierVapidPublicKeyResponse {
  /**
   * Uncompressed P-256 point (65 bytes), base64url: the browser's applicationServerKey.
   */
  publicKey: string;
}

/**
 * rpc.profile.delete: start deleting the user everywhere (idempotent: a second call reports progress).
 */
export interface ProfileDeleteRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
}

export interface ProfileDeleteResponse {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * pending: services are purging; purging_signals: all confirmed, the user's history is being purged from SIGNALS; done.
   */
  status: 'pending' | 'purging_signals' | 'done';
  requestedAt: string;
  /**
   * Services that confirmed they purged the user.
   */
  confirmedBy: string[];
  waitingFor: string[];
  completedAt?: string;
}

/**
 * rpc.profile.deletion_status: how far the deletion of one user has come (operators).
 */
export interface ProfileDeletionStatusRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
}

export interface ProfileDeletionStatusResponse {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * pending: services are purging; purging_signals: all confirmed, the user's history is being purged from SIGNALS; done.
   */
  status: 'pending' | 'purging_signals' | 'done';
  requestedAt: string;
  /**
   * Services that confirmed they purged the user.
   */
  confirmedBy: string[];
  waitingFor: string[];
  completedAt?: string;
}

/**
 * rpc.profile.get: the user's profile (created with defaults on first read).
 */
export interface ProfileGetRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
}

export interface ProfileGetResponse {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).
   */
  timezone: string;
  /**
   * No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).
   */
  quietHours: {
    /**
     * A wall-clock time HH:MM (24 h).
     */
    start: string;
    /**
     * A wall-clock time HH:MM (24 h).
     */
    end: string;
  };
  push: {
    enabled: boolean;
  };
  /**
   * The terms the user accepted, or null before they have.
   */
  consent: null | {
    termsVersion: string;
    acceptedAt: string;
  };
  updatedAt: string;
}

/**
 * rpc.profile.legal: the current text of the terms or the privacy notice, for the SPA.
 */
export interface LegalRequest {
  /**
   * A legal text the SPA shows.
   */
  document: 'terms' | 'privacy';
}

export interface LegalResponse {
  document: 'terms' | 'privacy';
  version: string;
  markdown: string;
}

/**
 * rpc.profile.update: change some settings of the user's own profile (the gateway takes userId from the session).
 */
export interface ProfileUpdateRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).
   */
  timezone?: string;
  /**
   * No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).
   */
  quietHours?: {
    /**
     * A wall-clock time HH:MM (24 h).
     */
    start: string;
    /**
     * A wall-clock time HH:MM (24 h).
     */
    end: string;
  };
  /**
   * Whether the user wants push notifications.
   */
  push?: {
    enabled: boolean;
  };
  /**
   * The version of the terms the user accepts now.
   */
  acceptTerms?: string;
}

export interface ProfileUpdateResponse {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).
   */
  timezone: string;
  /**
   * No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).
   */
  quietHours: {
    /**
     * A wall-clock time HH:MM (24 h).
     */
    start: string;
    /**
     * A wall-clock time HH:MM (24 h).
     */
    end: string;
  };
  push: {
    enabled: boolean;
  };
  /**
   * The terms the user accepted, or null before they have.
   */
  consent: null | {
    termsVersion: string;
    acceptedAt: string;
  };
  updatedAt: string;
}

/**
 * rpc.recommender.evaluate: off-policy estimates of one policy's mean reward from the tip log (operators).
 */
export interface EvaluateRequest {
  policy: string;
  since?: string;
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId?: string;
}

/**
 * What the logged decisions say about one policy's mean reward per decision. Estimates are null when no decision can speak for the policy; interval bounds are null with a single decision.
 */
export interface EvaluateResponse {
  policy: string;
  /**
   * Decisions the estimates use: with a terminal reaction and, for a model, its logged scores.
   */
  decisions: number;
  /**
   * Decisions with an outcome that cannot judge this policy: without its scores (the scorer did not answer), or made by another policy without exploring (logged epsilon 0).
   */
  skipped: number;
  /**
   * Decisions still open: no terminal reaction yet (the sweeper records `expired` 0 once TIP_EXPIRY_HOURS pass).
   */
  pending: number;
  /**
   * Decisions that ended without a terminal reaction (their task went away): no outcome until the sweeper records them `expired` 0 after TIP_EXPIRY_HOURS.
   */
  noOutcome: number;
  /**
   * Inverse propensity scoring: mean of r·π/μ; interval by the normal approximation. An estimate with its 95 % confidence interval [low, high].
   */
  ips: {
    estimate: number | null;
    low: number | null;
    high: number | null;
  };
  /**
   * Self-normalised IPS: Σ r·w / Σ w; interval by the delta method (ratio-estimator variance). Null when every weight is 0. An estimate with its 95 % confidence interval [low, high].
   */
  snips: {
    estimate: number | null;
    low: number | null;
    high: number | null;
  };
  /**
   * (Σ w)² / Σ w²: how many on-policy decisions the weighted log is worth.
   */
  effectiveSampleSize: number;
  /**
   * The decisions this policy made itself (with an outcome) and their mean reward.
   */
  onPolicy: {
    decisions: number;
    meanReward: number | null;
  };
}

/**
 * rpc.recommender.feedback: the user's reaction to one of their tips (the gateway takes userId from the session). `snoozeMinutes` only with `snooze`; any other action with it is an invalid_request naming snoozeMinutes.
 */
export interface TipFeedbackRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.
   */
  tipId: string;
  /**
   * What a user can say about a tip: done (+1), dismiss (−1) and snooze (0) end it (one of them per tip); helpful (+0.5) or not_helpful (−0.5) rate it (one rating per tip). `expired` is oO's, never a user's.
   */
  action: 'done' | 'dismiss' | 'snooze' | 'helpful' | 'not_helpful';
  /**
   * How long a snoozed task stays out of the tips, in minutes (default 60, at most 7 days); only with `snooze`.
   */
  snoozeMinutes?: number;
}

/**
 * The accepted reaction and its reward. Errors: not_found (no such tip of this user), conflict (the tip already has a reaction of this kind; field action).
 */
export interface TipFeedbackResponse {
  /**
   * A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.
   */
  tipId: string;
  taskId: string;
  /**
   * What a user can say about a tip: done (+1), dismiss (−1) and snooze (0) end it (one of them per tip); helpful (+0.5) or not_helpful (−0.5) rate it (one rating per tip). `expired` is oO's, never a user's.
   */
  action: 'done' | 'dismiss' | 'snooze' | 'helpful' | 'not_helpful';
  reward: number;
  heldUntil?: string;
}

/**
 * rpc.recommender.metrics: the daily metrics baseline for the UTC days from `since` (included) to `until` (excluded); `until` must be after `since`, at most 400 days later.
 */
export interface RecommenderMetricsRequest {
  /**
   * The first UTC day reported (YYYY-MM-DD).
   */
  since: string;
  /**
   * The UTC day after the last one reported (YYYY-MM-DD), exclusive.
   */
  until: string;
}

/**
 * One entry per UTC day of the range, oldest first, every day present (zeros when nothing happened). Tips, reactions and rewards are counted on the day the tip was served; sign-ups on the day of the sign-up.
 */
export interface RecommenderMetricsResponse {
  since: string;
  until: string;
  days: DailyMetrics[];
}
export interface DailyMetrics {
  day: string;
  /**
   * Users who signed up that day (and have not been deleted).
   */
  signups: number;
  /**
   * Of the day's sign-ups, those served at least one tip by the time of the query.
   */
  activated: number;
  /**
   * activated / signups.
   */
  activationRate: number | null;
  served: ServingMetrics;
  /**
   * The same for each policy that decided tips that day (the live one, or `random` on the scorer fallback; shadows never serve), keyed by policy name.
   */
  byPolicy: {
    [k: string]: ServingMetrics | undefined;
  };
}
export interface ServingMetrics {
  /**
   * Distinct users served at least one tip that day.
   */
  usersServed: number;
  /**
   * Decisions logged that day.
   */
  tipsServed: number;
  /**
   * The day's tips with at least one reaction whose source is `user` (done, dismiss, snooze, helpful, not_helpful from the app); completions seen by webhook or reconcile and expiries do not count.
   */
  tipsWithUserReaction: number;
  /**
   * tipsWithUserReaction / tipsServed.
   */
  reactionRate: number | null;
  reactions: ReactionCounts;
  /**
   * Reactions to the day's tips of every action and source: the rewards the learner received for them.
   */
  rewardedReactions: number;
  /**
   * The mean reward over rewardedReactions (expiries count as 0); null when there are none.
   */
  meanReward: number | null;
}
/**
 * Reactions to the day's tips by action, from every source (user, webhook, reconcile, expiry); every known action present, 0 when none.
 */
export interface ReactionCounts {
  done: number;
  dismiss: number;
  snooze: number;
  helpful: number;
  not_helpful: number;
  expired: number;
}

/**
 * rpc.recommender.recommend: the one tip for this user now.
 */
export interface RecommendRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  channel: 'web' | 'push';
  now?: string;
  /**
   * Tasks not to choose this time (push: pushed in the last 24 h, just shown on the web). Channel push only decides afresh; it never re-serves an open tip.
   *
   * @maxItems 1000
   */
  excludeTaskIds?: string[];
}

export interface RecommendResponse {
  tip: Tip | null;
  policy: string;
  /**
   * How long this request took in the recommender, in ms.
   */
  latencyMs: number;
}
/**
 * The tip as the SPA shows it. A tip served again (the open one) carries the same tipId, why, explored and servedAt as when it was first served.
 */
export interface Tip {
  /**
   * A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.
   */
  tipId: string;
  taskId: string;
  title: string;
  source: string;
  priority: number;
  due: string | null;
  servedAt: string;
  /**
   * Where the task opens in its app, if the app gave one.
   */
  url: string | null;
  policy: string;
  /**
   * True when the task was not the live model's best (its highest UCB): the scorer's ε draw landed elsewhere, or the random fallback chose.
   */
  explored: boolean;
  why: TipWhy;
}
/**
 * Why this task, from the live model's own terms: each reason is a task term whose contribution θ_j·(x_j − mean over the candidates) pushed this task above the others, strongest first (at most 3). `kind`: `model` (reasons given), `learning` (no term pushed it up: the model has not learned enough to prefer this task; a brand-new user's reasons come from the scorer's starting belief, priority then overdue), `exploration` (an exploration pick; reasons may still be listed). `summary` is one sentence for the SPA.
 */
export interface TipWhy {
  kind: 'model' | 'learning' | 'exploration';
  /**
   * @maxItems 3
   */
  reasons: TipReason[];
  summary: string;
}
export interface TipReason {
  /**
   * The base feature the reason comes from: is_overdue, priority or task_age.
   */
  term: string;
  /**
   * The reason in words, e.g. "overdue", "urgent", "waiting for three weeks".
   */
  text: string;
}

/**
 * rpc.recommender.tip: one of the user's own tips (open or ended), as it was served; not_found when the id is unknown or another user's.
 */
export interface RecommenderTipRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  /**
   * A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.
   */
  tipId: string;
}

export interface RecommenderTipResponse {
  tip: Tip;
}
/**
 * rpc.scorer.refresh_prior (operators): re-estimate every policy's population prior from the users' models now.
 */
export interface RefreshPriorRequest {}

/**
 * The live policy's new prior (users 0, groups 0 and computedAt null: not enough users for one yet), and every policy's.
 */
export interface RefreshPriorResponse {
  /**
   * Users it was estimated from.
   */
  users: number;
  /**
   * Taste groups (mixture components) it found.
   */
  groups: number;
  computedAt: string | null;
  policies: PolicyPrior[];
}
export interface PolicyPrior {
  policy: string;
  users: number;
  groups: number;
}

/**
 * rpc.scorer.reset: forget one user's model for one policy (all policies when policy is absent).
 */
export interface ResetRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  policy?: string;
}

export interface ResetResponse {
  ok: boolean;
}

/**
 * rpc.scorer.score: choose one candidate for a user.
 */
export interface ScoreRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  policy?: string;
  /**
   * Makes the exploration draw reproducible, so a decision can be replayed exactly.
   */
  seed?: number;
  /**
   * Other policies to score on the same candidates in the same call, each with its own features of the same candidate ids: scored and returned, never chosen (no exploration draw).
   *
   * @maxItems 16
   */
  shadows?: ScoreShadowRequest[];
  /**
   * @minItems 1
   * @maxItems 200
   */
  candidates: ScoreCandidate[];
}
export interface ScoreShadowRequest {
  policy: string;
  /**
   * @minItems 1
   * @maxItems 200
   */
  candidates: ScoreCandidate[];
}
export interface ScoreCandidate {
  id: string;
  /**
   * @minItems 1
   * @maxItems 64
   */
  features: number[];
}

export interface ScoreResponse {
  /**
   * Id of the chosen candidate.
   */
  chosen: string;
  propensity: number;
  policy: string;
  scores: CandidateScore[];
  /**
   * Updates the user's model has learned from.
   */
  n: number;
  /**
   * One entry per requested shadow, in request order: its scores of the candidates (in its request order) and its model's n. Present only when shadows were requested.
   */
  shadows?: ShadowScores[];
  /**
   * The choosing policy's solved θ (posterior mean of its weights, one per feature column, in its feature set's column order): what the caller explains a choice with — a candidate's term j pushed it up by θ_j·x_j.
   */
  theta?: number[];
  /**
   * True when the choice was an ε-exploration draw rather than the UCB argmax.
   */
  explored?: boolean;
  /**
   * The ε of the ε-greedy draw this choice was made with (SCORER_EPSILON while the live policy's population has no prior, SCORER_EPSILON_WITH_PRIOR once it has one): with the scores it gives any policy's propensity for this decision. At 0 the decision can judge no other policy off-policy.
   */
  epsilon?: number;
}
export interface CandidateScore {
  id: string;
  mean: number;
  bonus: number;
  ucb: number;
}
export interface ShadowScores {
  policy: string;
  scores: CandidateScore[];
  n: number;
}

/**
 * rpc.scorer.stats (and rpc.scorer.reset): one user's model for one policy.
 */
export interface StatsRequest {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  policy?: string;
}

export interface StatsResponse {
  n: number;
  rewardSum: number;
  A: number[][];
  b: number[];
  /**
   * The θ the scorer scores with: the user's statistics combined with the population prior when there is one (`prior`), else with the policy's starting belief (the heuristic's, weak: θ₀ on priority and overdue with the weight of two reactions). Only a policy without either solves A θ = b alone.
   */
  theta: number[];
  /**
   * The population prior θ was computed with; absent while the population has none (θ then starts from the policy's starting belief).
   */
  prior?: {
    users: number;
    computedAt: string;
  };
}

/**
 * POST /auth/dev-login (AUTH_DEV_LOGIN only): sign in as anyone by email.
 */
export interface DevLoginBody {
  email: string;
  /**
   * Shown to the user; surrounding white space is trimmed.
   */
  name: string;
}

export interface DevLoginResponse {
  user: {
    /**
     * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
     */
    id: string;
    email: string;
    name: string;
  };
  /**
   * Whether this sign-in created the account.
   */
  created: boolean;
}

export interface GoogleStartQuery {
  /**
   * Where to land after signing in; a path outside the allow-list lands on /.
   */
  returnTo?: string;
}

/**
 * What Google appends to the redirect. Open: Google also sends scope, authuser, hd, prompt, … which are ignored.
 */
export interface GoogleCallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

/**
 * GET /auth/methods: which sign-in methods this deployment offers.
 */
export interface SignInMethods {
  /**
   * Sign in with Google is configured (GOOGLE_CLIENT_ID is set).
   */
  google: boolean;
  /**
   * POST /auth/dev-login works (AUTH_DEV_LOGIN; never in production).
   */
  devLogin: boolean;
}

/**
 * The query of every route without its own <route>.query.json: no parameters; any one is an unknown field (400).
 */
export interface NoQuery {}

/**
 * The body of every HTTP error (4xx, 5xx) of every service.
 */
export interface HttpErrorBody {
  error: {
    /**
     * Stable and machine-readable: invalid_request, unauthenticated, forbidden, not_found, unsupported_media_type, rate_limited, unavailable, internal, …
     */
    code: string;
    /**
     * For people; may change wording.
     */
    message: string;
    /**
     * The offending field when one is at fault: a JSON path in the body (quietHours.start), a query parameter, or a header (content-type).
     */
    field?: string;
  };
}

/**
 * GET /api/integrations (ARCHITECTURE.md §4): one entry per provider oO can connect.
 */
export type IntegrationsListBody = IntegrationSummary[];

/**
 * What Todoist appends to the redirect: code and state, or error (access_denied) and state. Open, like the Google callback: a parameter Todoist may add later is ignored rather than failing the connection.
 */
export interface TodoistCallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

/**
 * PATCH /api/me: the settings to change; rpc.profile.update without userId, which the gateway takes from the session.
 */
export interface ProfileChanges {
  /**
   * An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).
   */
  timezone?: string;
  /**
   * No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).
   */
  quietHours?: {
    /**
     * A wall-clock time HH:MM (24 h).
     */
    start: string;
    /**
     * A wall-clock time HH:MM (24 h).
     */
    end: string;
  };
  /**
   * Whether the user wants push notifications.
   */
  push?: {
    enabled: boolean;
  };
  /**
   * The version of the terms the user accepts now.
   */
  acceptTerms?: string;
}

/**
 * DELETE /api/push/subscriptions: which of the user's devices stops getting tips.
 */
export interface PushUnsubscribeBody {
  /**
   * A push service URL the browser gave (PushSubscription.endpoint): https; a capability, so outside the notifier's own table it appears only as its hash.
   */
  endpoint: string;
}

/**
 * GET /api/session: the verified session of the request.
 */
export interface SessionResponse {
  /**
   * Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.
   */
  userId: string;
  sessionId: string;
  expiresAt: string;
  /**
   * The user's name as their sign-in gave it (the session token's claim).
   */
  name: string;
  email: string;
  /**
   * What the user may do beyond their own data: `admin` (ADMIN_EMAILS) opens the operator console.
   */
  roles: 'admin'[];
}

/**
 * A tip as GET /api/tip and GET /api/tips/{tipId} answer it.
 */
export type TipBody = Tip;

/**
 * POST /api/tips/{tipId}/feedback: rpc.recommender.feedback without userId (the session's) and tipId (the path's).
 */
export interface TipReactionBody {
  /**
   * What a user can say about a tip: done (+1), dismiss (−1) and snooze (0) end it (one of them per tip); helpful (+0.5) or not_helpful (−0.5) rate it (one rating per tip). `expired` is oO's, never a user's.
   */
  action: 'done' | 'dismiss' | 'snooze' | 'helpful' | 'not_helpful';
  /**
   * How long a snoozed task stays out of the tips, in minutes (default 60, at most 7 days); only with `snooze`.
   */
  snoozeMinutes?: number;
}

/** The latest version of each event type's data, keyed by type. */
export interface EventDataMap {
  'integration.connected': IntegrationConnectedV1;
  'integration.disconnected': IntegrationDisconnectedV1;
  'profile.updated': ProfileUpdatedV1;
  'push.sent': PushSentV1;
  'task.completed': TaskCompletedV1;
  'task.synced': TaskSyncedV1;
  'tip.feedback': TipFeedbackV1;
  'tip.served': TipServedV1;
  'user.deleted': UserDeletedV1;
  'user.purged': UserPurgedV1;
  'user.signed_up': UserSignedUpV1;
}

/** Request and response of every RPC, keyed by NATS subject. */
export interface RpcMap {
  'rpc.auth.keys': { request: KeysRequest; response: KeysResponse };
  'rpc.integrations.complete': {
    request: IntegrationsCompleteRequest;
    response: IntegrationsCompleteResponse;
  };
  'rpc.integrations.connect_url': {
    request: IntegrationsConnectUrlRequest;
    response: IntegrationsConnectUrlResponse;
  };
  'rpc.integrations.disconnect': {
    request: IntegrationsDisconnectRequest;
    response: IntegrationsDisconnectResponse;
  };
  'rpc.integrations.list': { request: IntegrationsListRequest; response: IntegrationsListResponse };
  'rpc.integrations.tasks': {
    request: IntegrationsTasksRequest;
    response: IntegrationsTasksResponse;
  };
  'rpc.integrations.webhook': {
    request: IntegrationsWebhookRequest;
    response: IntegrationsWebhookResponse;
  };
  'rpc.notifier.list': { request: NotifierListRequest; response: NotifierListResponse };
  'rpc.notifier.subscribe': {
    request: NotifierSubscribeRequest;
    response: NotifierSubscribeResponse;
  };
  'rpc.notifier.unsubscribe': {
    request: NotifierUnsubscribeRequest;
    response: NotifierUnsubscribeResponse;
  };
  'rpc.notifier.vapid_public_key': {
    request: NotifierVapidPublicKeyRequest;
    response: NotifierVapidPublicKeyResponse;
  };
  'rpc.profile.delete': { request: ProfileDeleteRequest; response: ProfileDeleteResponse };
  'rpc.profile.deletion_status': {
    request: ProfileDeletionStatusRequest;
    response: ProfileDeletionStatusResponse;
  };
  'rpc.profile.get': { request: ProfileGetRequest; response: ProfileGetResponse };
  'rpc.profile.legal': { request: LegalRequest; response: LegalResponse };
  'rpc.profile.update': { request: ProfileUpdateRequest; response: ProfileUpdateResponse };
  'rpc.recommender.evaluate': { request: EvaluateRequest; response: EvaluateResponse };
  'rpc.recommender.feedback': { request: TipFeedbackRequest; response: TipFeedbackResponse };
  'rpc.recommender.metrics': {
    request: RecommenderMetricsRequest;
    response: RecommenderMetricsResponse;
  };
  'rpc.recommender.recommend': { request: RecommendRequest; response: RecommendResponse };
  'rpc.recommender.tip': { request: RecommenderTipRequest; response: RecommenderTipResponse };
  'rpc.scorer.refresh_prior': { request: RefreshPriorRequest; response: RefreshPriorResponse };
  'rpc.scorer.reset': { request: ResetRequest; response: ResetResponse };
  'rpc.scorer.score': { request: ScoreRequest; response: ScoreResponse };
  'rpc.scorer.stats': { request: StatsRequest; response: StatsResponse };
}

/** What each HTTP route accepts, keyed by its id in schemas/http/routes.json. */
export interface HttpInputMap {
  'auth.google': { query: GoogleStartQuery };
  'auth.google_callback': { query: GoogleCallbackQuery };
  'auth.dev_login': { body: DevLoginBody; query: NoQuery };
  'auth.refresh': { query: NoQuery };
  'auth.logout': { query: NoQuery };
  'auth.methods': { query: NoQuery };
  'session.get': { query: NoQuery };
  'me.get': { query: NoQuery };
  'me.update': { body: ProfileChanges; query: NoQuery };
  'me.delete': { query: NoQuery };
  'legal.get': { query: NoQuery };
  'integrations.todoist_connect': { query: NoQuery };
  'integrations.todoist_callback': { query: TodoistCallbackQuery };
  'integrations.list': { query: NoQuery };
  'integrations.todoist_disconnect': { query: NoQuery };
  'tips.current': { query: NoQuery };
  'tips.get': { query: NoQuery };
  'push.vapid_public_key': { query: NoQuery };
  'push.subscribe': { body: PushSubscription; query: NoQuery };
  'push.unsubscribe': { body: PushUnsubscribeBody; query: NoQuery };
  'webhooks.todoist': { query: NoQuery };
  'tips.feedback': { body: TipReactionBody; query: NoQuery };
  'docs.get': { query: NoQuery };
}
