import { createEnvelope } from './envelope.js';
import {
  isEventType,
  validateEnvelope,
  validateHttpInput,
  validateRpcRequest,
} from './validation.js';

const feedback = {
  tipId: '0193f1c2-7d4e-7000-8000-000000000001',
  taskId: 't1',
  action: 'done' as const,
  reward: 1,
  policy: 'linucb-d5',
  features: [0.5, 0.8, 1, 0.1, 1],
  propensity: 0.95,
};

describe('validateEnvelope', () => {
  it('accepts an envelope built by createEnvelope, on its own subject', () => {
    const envelope = createEnvelope('tip.feedback', 'u1', feedback);
    expect(validateEnvelope(envelope, 'signals.tip.feedback.u1')).toEqual({
      ok: true,
      value: envelope,
    });
    expect(envelope.version).toBe(1);
    expect(envelope.id).toMatch(/^[0-9a-f-]{8}-[0-9a-f-]{4}-7/);
  });

  it('names the field that breaks the schema', () => {
    const envelope = createEnvelope('tip.feedback', 'u1', { ...feedback, reward: 3 });
    expect(validateEnvelope(envelope)).toEqual({
      ok: false,
      error: { field: 'data.reward', message: 'must be <= 1' },
    });
    const missing = {
      ...createEnvelope('tip.feedback', 'u1', feedback),
      data: { ...feedback, tipId: undefined },
    };
    expect(validateEnvelope(JSON.parse(JSON.stringify(missing)))).toMatchObject({
      ok: false,
      error: { field: 'data.tipId' },
    });
    const badItem = createEnvelope('tip.feedback', 'u1', {
      ...feedback,
      features: [1, 'x' as unknown as number],
    });
    expect(validateEnvelope(badItem)).toMatchObject({
      ok: false,
      error: { field: 'data.features[1]' },
    });
  });

  it('refuses unknown types and versions, and envelopes that disagree with their subject', () => {
    const envelope = createEnvelope('tip.feedback', 'u1', feedback);
    expect(validateEnvelope({ ...envelope, version: 9 })).toMatchObject({
      ok: false,
      error: { field: 'type' },
    });
    expect(validateEnvelope(envelope, 'signals.tip.feedback.u2')).toMatchObject({
      ok: false,
      error: { field: 'userId' },
    });
    expect(validateEnvelope(envelope, 'signals.tip.served.u1')).toMatchObject({
      ok: false,
      error: { field: 'type' },
    });
    expect(validateEnvelope('not an object')).toMatchObject({ ok: false });
  });

  it('tolerates a field a newer producer added to event data', () => {
    const envelope = createEnvelope('tip.feedback', 'u1', {
      ...feedback,
      extra: 1,
    } as typeof feedback);
    expect(validateEnvelope(envelope).ok).toBe(true);
  });

  it('takes a synced task with or without its url and zone; a floating due time stays local', () => {
    const task = {
      taskId: '6X7rM8997g3RQmvh',
      title: 'Call the dentist',
      priority: 4,
      due: '2026-12-03T09:30:00',
      dueTimezone: null,
      addedAt: '2026-11-30T08:00:00.000000Z',
      isRecurring: false,
      url: 'https://app.todoist.com/app/task/6X7rM8997g3RQmvh',
    };
    const synced = (tasks: object[]) =>
      validateEnvelope(createEnvelope('task.synced', 'u1', { source: 'todoist', tasks } as never));
    expect(synced([task]).ok).toBe(true);
    expect(
      synced([{ ...task, due: '2026-12-03T08:30:00Z', dueTimezone: 'Europe/Berlin' }]).ok,
    ).toBe(true);
    const { url: _url, dueTimezone: _zone, ...older } = task;
    expect(synced([{ ...older, due: '2026-12-03' }]).ok).toBe(true);
    expect(synced([{ ...task, url: 'not a url' }])).toMatchObject({
      ok: false,
      error: { field: 'data.tasks[0].url' },
    });
    expect(synced([{ ...task, due: 'tomorrow' }])).toMatchObject({ ok: false });
  });

  it('knows who reported feedback, and nobody else', () => {
    const withSource = (source: string) =>
      validateEnvelope(createEnvelope('tip.feedback', 'u1', { ...feedback, source } as never));
    for (const source of ['user', 'webhook', 'reconcile', 'expiry']) {
      expect(withSource(source).ok).toBe(true);
    }
    expect(withSource('someone')).toMatchObject({ ok: false, error: { field: 'data.source' } });
  });
});

describe('validateRpcRequest', () => {
  it('rejects unknown fields and empty candidate lists by name', () => {
    expect(
      validateRpcRequest('rpc.scorer.score', { userId: 'u1', candidates: [], typo: 1 }),
    ).toMatchObject({
      ok: false,
    });
    expect(validateRpcRequest('rpc.scorer.score', { userId: 'u1', candidates: [] })).toEqual({
      ok: false,
      error: { field: 'candidates', message: 'must NOT have fewer than 1 items' },
    });
    expect(validateRpcRequest('rpc.scorer.stats', { userId: 'u1', polcy: 'x' })).toEqual({
      ok: false,
      error: { field: 'polcy', message: 'is not an allowed field' },
    });
  });

  it('carries a webhook as base64 bytes and lower-cased headers', () => {
    const body = Buffer.from('{"event_name":"item:completed"}').toString('base64');
    const request = {
      provider: 'todoist',
      headers: { 'x-todoist-hmac-sha256': 'abc=' },
      rawBody: body,
    };
    expect(validateRpcRequest('rpc.integrations.webhook', request).ok).toBe(true);
    expect(
      validateRpcRequest('rpc.integrations.webhook', { ...request, rawBody: '{not base64}' }),
    ).toMatchObject({ ok: false, error: { field: 'rawBody' } });
  });
});

describe('isEventType', () => {
  it('knows the schema types and nothing inherited', () => {
    expect(isEventType('tip.feedback')).toBe(true);
    expect(isEventType('tip.unknown')).toBe(false);
    expect(isEventType('toString')).toBe(false);
    expect(isEventType('constructor')).toBe(false);
  });
});

describe('validateHttpInput', () => {
  it('checks a body against schemas/http/, naming the field', () => {
    expect(validateHttpInput('me.update', 'body', { push: { enabled: true } })).toEqual({
      ok: true,
      value: { push: { enabled: true } },
    });
    expect(
      validateHttpInput('me.update', 'body', { quietHours: { start: '25:00', end: '07:00' } }),
    ).toMatchObject({ ok: false, error: { field: 'quietHours.start', message: /pattern/ } });
    expect(validateHttpInput('me.update', 'body', { quietHours: { start: '22:00' } })).toEqual({
      ok: false,
      error: { field: 'quietHours.end', message: 'is required' },
    });
    expect(validateHttpInput('me.update', 'body', { userId: 'u1' })).toEqual({
      ok: false,
      error: { field: 'userId', message: 'is not an allowed field' },
    });
    expect(validateHttpInput('me.update', 'body', [1, 2])).toMatchObject({
      ok: false,
      error: { field: 'body', message: 'must be object' },
    });
  });

  it('shares the field definitions with the RPC the body becomes', () => {
    const change = { timezone: 'Europe/Berlin', acceptTerms: 'x'.repeat(33) };
    const http = validateHttpInput('me.update', 'body', change);
    const rpc = validateRpcRequest('rpc.profile.update', { ...change, userId: 'u1' });
    expect(http).toMatchObject({ ok: false, error: { field: 'acceptTerms' } });
    expect(rpc).toEqual(http);
  });

  it('takes query parameters as the strings they arrive as, and no others', () => {
    expect(validateHttpInput('auth.google', 'query', { returnTo: '/settings' }).ok).toBe(true);
    expect(validateHttpInput('auth.google', 'query', { returnTo: ['/a', '/b'] })).toMatchObject({
      ok: false,
      error: { field: 'returnTo', message: 'must be string' },
    });
    expect(validateHttpInput('me.get', 'query', { debug: '1' })).toEqual({
      ok: false,
      error: { field: 'debug', message: 'is not an allowed field' },
    });
    expect(validateHttpInput('me.get', 'query', {}).ok).toBe(true);
    // Google adds parameters of its own to the callback; those are not the caller's typos.
    expect(
      validateHttpInput('auth.google_callback', 'query', { code: 'c', state: 's', scope: 'email' })
        .ok,
    ).toBe(true);
  });
});
