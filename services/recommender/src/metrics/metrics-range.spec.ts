import { RpcException } from '@nestjs/microservices';
import { MAX_METRICS_DAYS, metricsDays } from './metrics-range.js';

function failureOf(since: string, until: string): unknown {
  try {
    metricsDays(since, until);
  } catch (error) {
    return error instanceof RpcException ? error.getError() : error;
  }
  throw new Error('expected a failure');
}

describe('metricsDays', () => {
  it('lists the UTC days from since to the day before until, across a month and a leap day', () => {
    expect(metricsDays('2028-02-28', '2028-03-02')).toEqual([
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(metricsDays('2026-12-31', '2027-01-01')).toEqual(['2026-12-31']);
  });

  it(`allows ${MAX_METRICS_DAYS} days and no more`, () => {
    expect(metricsDays('2026-01-01', '2027-02-05')).toHaveLength(MAX_METRICS_DAYS);
    const failure = failureOf('2026-01-01', '2027-02-06');
    expect(failure).toMatchObject({ code: 'invalid_request', field: 'until' });
    expect((failure as { message: string }).message).toMatch(/at most 400 days/);
  });

  it.each([
    ['the same day', '2026-12-02', '2026-12-02'],
    ['a day before', '2026-12-02', '2026-12-01'],
  ])('refuses until on %s, naming until', (_, since, until) => {
    expect(failureOf(since, until)).toMatchObject({ code: 'invalid_request', field: 'until' });
  });
});
