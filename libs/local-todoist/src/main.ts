// Runs the local Todoist as a process: `npm start` in development, and tests that need it
// as a separate process (started with startTsProcess, like every other entry point).
import { createLocalTodoist } from './local-todoist.js';

const env = process.env;
const clientId = env.TODOIST_CLIENT_ID ?? 'local-todoist-client';
const clientSecret = env.TODOIST_CLIENT_SECRET ?? 'local-todoist-secret';
const ttl = env.TODOIST_TOKEN_TTL_SECONDS ? Number(env.TODOIST_TOKEN_TTL_SECONDS) : undefined;

const todoist = await createLocalTodoist({
  port: Number(env.PORT ?? 0),
  host: env.HOST ?? '127.0.0.1',
  clientId,
  clientSecret,
  redirectUri: env.TODOIST_REDIRECT_URI || undefined,
  webhookUrl: env.WEBHOOK_URL || undefined,
  seed: env.TODOIST_SEED === 'demo' ? 'demo' : undefined,
  tokenTtlSeconds: ttl,
});

// One line a runner can wait for and parse.
console.log(
  `local Todoist listening: url=${todoist.url} oauth=${todoist.oauthUrl} api=${todoist.apiUrl}`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    void todoist.close().then(() => process.exit(0));
  });
