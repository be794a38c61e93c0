export {
  baseEnvSchema,
  DEFAULT_DATABASE_URL,
  EnvError,
  loadEnv,
  port,
  type BaseEnv,
  type LoadEnvOptions,
} from './env.js';
export { randomKey, type SecretGenerators } from './dev-secrets.js';
export { z } from 'zod';
export { booleanFlag, encryptionKeys, httpUrl, requiredInProduction } from './fields.js';
export {
  DATABASE_SERVICE_NAMES,
  defaultPort,
  SERVICE_REGISTRY,
  SERVICES_HOLDING_USER_DATA,
  type DatabaseServiceName,
  type ServiceEntry,
  type ServiceName,
} from './service-registry.js';
