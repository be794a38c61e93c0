export { createServiceApp, type ServiceApp, type ServiceAppOptions } from './service-app.js';
export { runService } from './run-service.js';
export { createRedisClient } from './redis.js';
export { httpError, NO_QUERY, parseInput, type HttpErrorBody } from './http-errors.js';
