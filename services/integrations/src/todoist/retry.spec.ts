import { fullJitterDelayMs, withRetries } from './retry.js';
import {
  TodoistRateLimited,
  TodoistRequestRejected,
  TodoistUnauthorized,
  TodoistUnavailable,
} from './todoist-errors.js';

const options = { attempts: 3, baseDelayMs: 100, maxDelayMs: 300 };

function failingThen<T>(failures: Error[], result: T) {
  const calls: number[] = [];
  const call = async (): Promise<T> => {
    calls.push(calls.length + 1);
    const failure = failures[calls.length - 1];
    if (failure) throw failure;
    return result;
  };
  return { call, calls };
}

describe('withRetries', () => {
  const waits: number[] = [];
  const hooks = { random: () => 0.5, wait: async (ms: number) => void waits.push(ms) };
  beforeEach(() => (waits.length = 0));

  it('retries 5xx and timeouts, and returns the first success', async () => {
    const unavailable = new TodoistUnavailable('GET /tasks', 'status 503');
    const { call, calls } = failingThen([unavailable, unavailable], 'tasks');
    await expect(withRetries(call, options, hooks)).resolves.toBe('tasks');
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    const errors = [1, 2, 3, 4].map((n) => new TodoistUnavailable('GET /tasks', `status 50${n}`));
    const { call, calls } = failingThen(errors, 'never');
    await expect(withRetries(call, options, hooks)).rejects.toBe(errors[2]);
    expect(calls).toHaveLength(3);
  });

  it.each([
    ['401', new TodoistUnauthorized('GET /tasks', 401)],
    ['429', new TodoistRateLimited('GET /tasks', 30, 'todoist')],
    ['404', new TodoistRequestRejected('POST /tasks/1/close', 404)],
  ])('never retries a %s', async (_status, error) => {
    const { call, calls } = failingThen([error], 'never');
    await expect(withRetries(call, options, hooks)).rejects.toBe(error);
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});

describe('fullJitterDelayMs', () => {
  it('draws from 0 up to a cap that doubles per retry and stops at the maximum', () => {
    expect([1, 2, 3, 4].map((retry) => fullJitterDelayMs(retry, options, () => 0.999))).toEqual([
      99, 199, 299, 299,
    ]);
    expect(fullJitterDelayMs(3, options, () => 0)).toBe(0);
  });
});
