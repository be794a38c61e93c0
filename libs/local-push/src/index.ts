export { startLocalPush, type LocalPush, type LocalPushOptions } from './local-push.js';
export { CONTROL_OPERATIONS, CONTROL_PREFIX, connectLocalPush } from './control-routes.js';
export { PUSH_PREFIX } from './push-routes.js';
export { MAX_BODY_BYTES } from './push-headers.js';
export { waitForMessages, type WaitForMessagesOptions } from './wait-for-messages.js';
export { URGENCIES } from './types.js';
export type {
  CreatedSubscription,
  LocalPushControl,
  PushAttempt,
  PushMessage,
  PushSubscriptionJson,
  ScriptedAnswer,
  SubscriptionOptions,
  Urgency,
  VapidIdentity,
} from './types.js';
