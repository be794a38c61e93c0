import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { buildWebApp } from '@oo/devkit';
import { generateSigningKey } from '@oo/sessions';
import type { RunningProcess } from '@oo/devkit/process';
import { createTestNats, type TestNats } from '../nats.js';
import { freePort } from '../ports.js';
import { serviceTestEnv } from '../service-env.js';
import { tablesMentioning } from '../user-rows.js';
import { startLocalTodoistProcess, type LocalTodoistProcess } from './local-todoist.js';
import {
  startMockGoogle,
  startServiceProcess,
  stopProcesses,
  type MockGoogle,
} from './service-processes.js';

const TODOIST_CLIENT_ID = 'oo-web-e2e';
const TODOIST_CLIENT_SECRET = 'oo-web-e2e-secret';

/** The Google account the local provider signs in (one per system). */
export const GOOGLE_USER = {
  sub: 'g-web-1',
  email: 'mae@example.com',
  name: 'Mae Jemison',
  email_verified: true,
};

export interface WholeSystem {
  /** The gateway: the one address a browser opens. */
  base: string;
  todoist: LocalTodoistProcess;
  google: MockGoogle;
  database: TestDatabase;
  nats: TestNats;
  /** Rows in any service schema whose text mentions the user id. */
  rowsMentioning(userId: string): Promise<string[]>;
  stop(): Promise<void>;
}

export interface WholeSystemOptions {
  /** Variables for one service on top of the shared ones (e.g. a faster notifier timer). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

type ServiceName =
  'auth' | 'profile' | 'integrations' | 'recommender' | 'scorer' | 'notifier' | 'gateway';

const DATA_SCHEMAS = ['auth', 'profile', 'integrations', 'recommender', 'notifier'];

/**
 * oO as a user meets it: the built web app served by the gateway, and all seven services as
 * separate processes on real NATS, Redis and Postgres, with a local Todoist (OAuth, REST API,
 * webhooks to the gateway) and a local Google (OAuth2/OIDC with PKCE).
 */
export async function startWholeSystem(
  name: string,
  options: WholeSystemOptions = {},
): Promise<WholeSystem> {
  await buildWebApp();
  const database = await createTestDatabase();
  const nats = await createTestNats(name);
  const gatewayPort = await freePort();
  const base = `http://127.0.0.1:${gatewayPort}`;
  const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL: base });
  const processes: RunningProcess[] = [];

  const [google, todoist] = await Promise.all([
    startMockGoogle(GOOGLE_USER),
    startLocalTodoistProcess({
      clientId: TODOIST_CLIENT_ID,
      clientSecret: TODOIST_CLIENT_SECRET,
      redirectUri: `${base}/integrations/todoist/callback`,
      webhookUrl: `${base}/webhooks/todoist`,
    }),
  ]);
  processes.push(google.process);
  try {
    const started = await Promise.allSettled([
      startServiceProcess('auth', {
        ...env,
        SESSION_SIGNING_KEYS: generateSigningKey('k1'),
        GOOGLE_CLIENT_ID: 'oo-web-e2e',
        GOOGLE_CLIENT_SECRET: 'oo-web-e2e-secret',
        GOOGLE_AUTHORIZATION_URL: `${google.issuer}/authorize`,
        GOOGLE_TOKEN_URL: `${google.issuer}/token`,
        GOOGLE_USERINFO_URL: `${google.issuer}/userinfo`,
        ...options.serviceEnv?.auth,
      }),
      startServiceProcess('profile', { ...env, ...options.serviceEnv?.profile }),
      startServiceProcess('integrations', {
        ...env,
        TODOIST_CLIENT_ID,
        TODOIST_CLIENT_SECRET,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_API_URL: todoist.apiUrl,
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        ...options.serviceEnv?.integrations,
      }),
      startServiceProcess('recommender', { ...env, ...options.serviceEnv?.recommender }),
      startServiceProcess('scorer', { ...env, ...options.serviceEnv?.scorer }),
      startServiceProcess('notifier', { ...env, ...options.serviceEnv?.notifier }),
    ]);
    // Every one that did start is stopped again if another did not.
    for (const outcome of started) {
      if (outcome.status === 'fulfilled') processes.push(outcome.value.process);
    }
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const auth = (started[0] as PromiseFulfilledResult<{ url: string }>).value;
    const gateway = await startServiceProcess(
      'gateway',
      { ...env, AUTH_URL: auth.url, ...options.serviceEnv?.gateway },
      { port: gatewayPort },
    );
    processes.push(gateway.process);
  } catch (error) {
    // A start that failed leaves nothing behind: no process, database or stream.
    await stopProcesses(processes);
    await todoist.stop();
    await nats.cleanup();
    await database.drop();
    throw error;
  }

  return {
    base,
    todoist,
    google,
    database,
    nats,
    rowsMentioning: (userId) => tablesMentioning(database.url, DATA_SCHEMAS, userId),
    async stop() {
      await stopProcesses(processes);
      await todoist.stop();
      await nats.cleanup();
      await database.drop();
    },
  };
}
