import { deadLetterSubject, parseSignalSubject, signalPattern, signalSubject } from './subjects.js';

describe('subjects', () => {
  it('put the user id last so one user is one filter', () => {
    expect(signalSubject('tip.feedback', 'u-1')).toBe('signals.tip.feedback.u-1');
    expect(signalPattern('task.synced')).toBe('signals.task.synced.*');
    expect(parseSignalSubject('signals.tip.feedback.u-1')).toEqual({
      type: 'tip.feedback',
      userId: 'u-1',
    });
    expect(parseSignalSubject('deadletter.x.y')).toBeNull();
    expect(deadLetterSubject('scorer', 'signals.tip.feedback.u1')).toBe(
      'deadletter.scorer.signals.tip.feedback.u1',
    );
  });

  it('refuse a user id that would break the subject', () => {
    expect(() => signalSubject('tip.feedback', 'a.b')).toThrow(/userId/);
    expect(() => signalSubject('tip.feedback', '*')).toThrow(/userId/);
  });
});
