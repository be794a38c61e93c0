import { runHealthChecks } from './health.js';

describe('runHealthChecks', () => {
  it('is ok only when every dependency answers, and names the one that does not', async () => {
    const report = await runHealthChecks('svc', [
      { name: 'redis', check: async () => undefined },
      { name: 'postgres', check: async () => Promise.reject(new Error('connection refused')) },
    ]);
    expect(report.status).toBe('error');
    expect(report.checks['redis']?.status).toBe('up');
    expect(report.checks['postgres']).toMatchObject({
      status: 'down',
      error: 'connection refused',
    });
  });

  it('treats a hung dependency as down instead of hanging the probe', async () => {
    const report = await runHealthChecks('svc', [
      { name: 'nats', check: () => new Promise<void>(() => {}) },
    ]);
    expect(report.checks['nats']).toMatchObject({
      status: 'down',
      error: 'no answer within 1500 ms',
    });
  });
});
