export {
  API_PREFIX,
  CONTROL_PREFIX,
  OAUTH_PREFIX,
  createLocalTodoist,
  type LocalTodoist,
  type LocalTodoistOptions,
} from './local-todoist.js';
export { CONTROL_OPERATIONS, connectLocalTodoist } from './control-routes.js';
export { webhookSignature } from './webhooks.js';
export { DEMO_USER, demoTasks } from './seed.js';
export type {
  DeliveryStatus,
  Due,
  FaultOptions,
  LocalTodoistControl,
  RequestLogEntry,
  RevokedToken,
  Task,
  TaskInput,
  TodoistUser,
  UserInput,
  WebhookDelivery,
} from './types.js';
