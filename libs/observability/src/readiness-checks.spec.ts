import { runHealthChecks } from './health.js';
import { ReadinessChecks } from './readiness-checks.js';

describe('ReadinessChecks', () => {
  it('makes the service unready while a feature check is down, next to its stores', async () => {
    let loaded = false;
    const readiness = new ReadinessChecks([{ name: 'redis', check: () => Promise.resolve() }]);
    readiness.add({
      name: 'session_keys',
      check: () => (loaded ? Promise.resolve() : Promise.reject(new Error('not loaded yet'))),
    });
    const before = await runHealthChecks('svc', readiness.all());
    expect(before.status).toBe('error');
    expect(before.checks['session_keys']).toMatchObject({
      status: 'down',
      error: 'not loaded yet',
    });
    loaded = true;
    expect((await runHealthChecks('svc', readiness.all())).status).toBe('ok');
  });

  it('refuses a second check of the same name, which would hide the first in the report', () => {
    const readiness = new ReadinessChecks([{ name: 'redis', check: () => Promise.resolve() }]);
    expect(() => readiness.add({ name: 'redis', check: () => Promise.resolve() })).toThrow(
      /registered twice/,
    );
  });
});
