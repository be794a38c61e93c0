export { SERVICES, servicePort, type ServiceName } from './services.js';
export { ensureInfrastructure, type Dependency } from './infrastructure.js';
export { prepareSystem } from './prepare.js';
export { startServices, stopServices, waitUntilHealthy, type RunningService } from './system.js';
