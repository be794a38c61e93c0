import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnvSchema, EnvError, loadEnv, port } from './env.js';
import { z } from 'zod';

const schema = baseEnvSchema.extend({ PORT: port(3005), API_SECRET: z.string().min(8) });

describe('loadEnv', () => {
  it('applies development defaults', () => {
    const env = loadEnv(schema, { API_SECRET: 'long-enough' });
    expect(env).toMatchObject({
      OO_ENV: 'development',
      PORT: 3005,
      NATS_URL: 'nats://127.0.0.1:4222',
    });
  });

  it('names every bad variable and never echoes a value', () => {
    let error: unknown;
    try {
      loadEnv(schema, { PORT: 'abc', REDIS_URL: 'http://x', API_SECRET: 'hunter2' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as EnvError).message;
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/REDIS_URL: must be a URL \(redis: or rediss:\)/);
    expect(message).toMatch(/API_SECRET:/);
    expect(message).not.toContain('hunter2');
  });

  it('generates a missing secret once in development, persisted for the next start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oo-config-'));
    let calls = 0;
    const generate = (): string => {
      calls += 1;
      return 'generated-secret-value';
    };
    const first = loadEnv(schema, {}, { devSecrets: { API_SECRET: generate }, dataDir });
    const second = loadEnv(schema, {}, { devSecrets: { API_SECRET: generate }, dataDir });
    expect(first.API_SECRET).toBe('generated-secret-value');
    expect(second.API_SECRET).toBe('generated-secret-value');
    expect(calls).toBe(1);
    expect(statSync(join(dataDir, 'secrets', 'API_SECRET')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'secrets', 'API_SECRET'), 'utf8')).toBe(
      'generated-secret-value',
    );
  });

  it('keeps the first value when two services generate the same secret at once', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oo-config-'));
    const first = loadEnv(
      schema,
      {},
      { devSecrets: { API_SECRET: () => 'from-first-service' }, dataDir },
    );
    const second = loadEnv(
      schema,
      {},
      { devSecrets: { API_SECRET: () => 'from-second-service' }, dataDir },
    );
    expect([first.API_SECRET, second.API_SECRET]).toEqual([
      'from-first-service',
      'from-first-service',
    ]);
  });

  it('requires secrets in production', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oo-config-'));
    expect(() =>
      loadEnv(
        schema,
        { OO_ENV: 'production' },
        { devSecrets: { API_SECRET: () => 'x'.repeat(9) }, dataDir },
      ),
    ).toThrow(/API_SECRET/);
  });
});
