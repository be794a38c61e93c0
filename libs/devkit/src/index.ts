export { SERVICES, servicePort, type ServiceName } from './services.js';
export {
  DATA_DIR,
  ensureInfrastructure,
  infrastructureOf,
  type Dependency,
} from './infrastructure.js';
export { HealthWaitError, waitForHealth, type WaitForHealthOptions } from './health-wait.js';
export { prepareSystem } from './prepare.js';
export {
  publicUrlOf,
  startServices,
  stopServices,
  waitUntilHealthy,
  type RunningService,
} from './system.js';
export { startDevTodoist, type DevTodoist } from './dev-todoist.js';
export {
  NODE_TS_ARGS,
  REPO_ROOT,
  startNodeProcess,
  startTsProcess,
  type RunningProcess,
} from './ts-process.js';
export { buildWebApp, WEB_DIST, type WebBuild } from './web-build.js';
