export { testInfrastructure, type TestInfrastructure } from './infrastructure.js';
export { expectEventually, type EventuallyOptions } from './expect-eventually.js';
export { uniqueNamespace } from './namespace.js';
export { createTestNats, type TestNats } from './nats.js';
export { serviceTestEnv } from './service-env.js';
export { readDeadLetters, type DeadLetter } from './dead-letters.js';
export { consumerCaughtUp, readSignals } from './signals.js';
export { taskSyncedData, tipFeedbackData } from './factories.js';
export { NODE_TS_ARGS, REPO_ROOT, startTsProcess, type RunningProcess } from '@oo/devkit/process';
export { HealthWaitError, waitForHealth, type WaitForHealthOptions } from '@oo/devkit/health';
export { freePort, freePortRange } from './ports.js';
export {
  exactSums,
  relativeError,
  randomGridFeatures,
  solveLinearSystem,
  type ExactSums,
} from './ridge-oracle.js';
export {
  startMockGoogle,
  startServiceProcess,
  stopProcesses,
  type MockGoogle,
  type ServiceProcess,
  type StartServiceOptions,
} from './processes/service-processes.js';
export {
  startLocalTodoistProcess,
  type LocalTodoistProcess,
  type LocalTodoistProcessOptions,
} from './processes/local-todoist.js';
export { startLocalPushProcess, type LocalPushProcess } from './processes/local-push.js';
export { readMetric } from './metrics.js';
export { cookieHeader, cookiesSetBy } from './cookies.js';
export { declaredHttpRoutes, tableHttpRoutes } from './http-routes.js';
export {
  connectTodoistByRpc,
  startWebhookForwarder,
  type TodoistEndpoints,
  type WebhookForwarder,
} from './todoist-connection.js';
export { devSignIn, type SignedIn } from './dev-sign-in.js';
export {
  GOOGLE_USER,
  startWholeSystem,
  type WholeSystem,
  type WholeSystemOptions,
} from './processes/whole-system.js';
export { tablesMentioning } from './user-rows.js';
