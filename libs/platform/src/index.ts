export { createServiceApp, type ServiceApp, type ServiceAppOptions } from './service-app.js';
export { runService } from './run-service.js';
export { BackgroundLoop, type BackgroundLoopOptions } from './background-loop.js';
export { createRedisClient } from './redis.js';
export { httpError, parseInput, type HttpErrorBody } from './http-errors.js';
