import { parseTodoistWebhook } from './todoist-webhook-body.js';

const task = {
  id: '6X7rM8997g3RQmvh',
  content: 'Secret surprise party',
  priority: 4,
  due: { date: '2026-12-02', is_recurring: true, string: 'every day' },
  added_at: '2026-11-01T09:00:00.000000Z',
  completed_at: null,
};

function delivery(overrides: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      event_name: 'item:updated',
      user_id: '2671355',
      event_data: { ...task, due: { ...task.due, date: '2026-12-03' } },
      event_data_extra: { old_item: task, update_intent: 'item_completed' },
      initiator: { id: '2671355' },
      triggered_at: '2026-12-02T10:39:38.000000Z',
      version: '10',
      ...overrides,
    }),
  );
}

describe('parseTodoistWebhook', () => {
  it('reads a recurring completion: the task after, the task before, the intent', () => {
    const parsed = parseTodoistWebhook(delivery());
    expect(parsed).toEqual({
      ok: true,
      event: expect.objectContaining({
        name: 'item:updated',
        todoistUserId: '2671355',
        updateIntent: 'item_completed',
        oldTask: expect.objectContaining({ id: task.id, due: task.due }) as unknown,
        triggeredAt: new Date('2026-12-02T10:39:38.000Z'),
      }) as unknown,
    });
  });

  it('passes other events through by name, without reading their data', () => {
    expect(
      parseTodoistWebhook(delivery({ event_name: 'project:added', event_data: { id: 'p' } })),
    ).toEqual({ ok: true, event: { name: 'project:added', todoistUserId: '2671355' } });
  });

  it('names the wrong field, never its value (task text stays out of logs)', () => {
    const noContent = parseTodoistWebhook(
      delivery({ event_data: { ...task, content: 42 }, event_name: 'item:completed' }),
    );
    expect(noContent).toEqual({
      ok: false,
      reason: expect.stringMatching(/^event_data\.content: /) as unknown,
    });
    const badDue = parseTodoistWebhook(
      delivery({ event_data_extra: { old_item: { ...task, due: { date: 1 } } } }),
    );
    expect(badDue).toEqual({
      ok: false,
      reason: expect.stringMatching(/^event_data_extra\.old_item\.due\.date: /) as unknown,
    });
    const missing = parseTodoistWebhook(delivery({ triggered_at: undefined }));
    expect(missing).toEqual({
      ok: false,
      reason: expect.stringMatching(/^triggered_at: /) as unknown,
    });
    for (const parsed of [noContent, badDue, missing]) {
      expect(JSON.stringify(parsed)).not.toContain('Secret surprise party');
    }
  });

  it('refuses a body that is not JSON', () => {
    expect(parseTodoistWebhook(Buffer.from('{"event_name":'))).toEqual({
      ok: false,
      reason: 'body is not JSON',
    });
  });
});
