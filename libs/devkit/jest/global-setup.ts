// Chooses the infrastructure for the whole Jest run before workers start (they inherit
// process.env): the *_URL variables when set; otherwise the standard local ports when something
// answers there; otherwise nothing, and @oo/testing falls back to testcontainers.
import { answers } from '../src/probe.ts'; // Jest loads global setup without the .js → .ts mapping

const LOCAL_DEFAULTS = [
  ['NATS_URL', 'nats://127.0.0.1:4222', 4222],
  ['REDIS_URL', 'redis://127.0.0.1:6379', 6379],
  ['DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/oo', 5432],
] as const;

export default async function globalSetup(): Promise<void> {
  for (const [name, url, port] of LOCAL_DEFAULTS) {
    if (!process.env[name] && (await answers('127.0.0.1', port))) process.env[name] = url;
  }
}
