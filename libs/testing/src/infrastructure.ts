export interface TestInfrastructure {
  natsUrl: string;
  redisUrl: string;
  databaseUrl: string;
}

let started: Promise<TestInfrastructure> | undefined;

/**
 * The real NATS, Redis and Postgres a test runs against: the `*_URL` variables when set (our
 * machines and CI), otherwise containers started by testcontainers. testcontainers is imported
 * only then, because it cannot even load without a Docker engine.
 */
export function testInfrastructure(
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestInfrastructure> {
  const { NATS_URL, REDIS_URL, DATABASE_URL } = env;
  if (NATS_URL && REDIS_URL && DATABASE_URL) {
    return Promise.resolve({ natsUrl: NATS_URL, redisUrl: REDIS_URL, databaseUrl: DATABASE_URL });
  }
  started ??= startContainers(env);
  return started;
}

async function startContainers(env: NodeJS.ProcessEnv): Promise<TestInfrastructure> {
  let tc: typeof import('testcontainers');
  try {
    tc = await import('testcontainers');
  } catch (error) {
    throw new Error(
      `Set NATS_URL, REDIS_URL and DATABASE_URL, or provide a Docker engine for testcontainers (${String(error)})`,
    );
  }
  const nats = env['NATS_URL']
    ? undefined
    : await new tc.GenericContainer('nats:2.10-alpine')
        .withCommand(['-js'])
        .withExposedPorts(4222)
        .start();
  const redis = env['REDIS_URL']
    ? undefined
    : await new tc.GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
  const postgres = env['DATABASE_URL']
    ? undefined
    : await new tc.GenericContainer('postgres:16-alpine')
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'oo' })
        .withExposedPorts(5432)
        .withWaitStrategy(tc.Wait.forLogMessage(/ready to accept connections/, 2))
        .start();
  return {
    natsUrl: env['NATS_URL'] ?? `nats://${nats!.getHost()}:${nats!.getMappedPort(4222)}`,
    redisUrl: env['REDIS_URL'] ?? `redis://${redis!.getHost()}:${redis!.getMappedPort(6379)}`,
    databaseUrl:
      env['DATABASE_URL'] ??
      `postgresql://postgres@${postgres!.getHost()}:${postgres!.getMappedPort(5432)}/oo`,
  };
}
