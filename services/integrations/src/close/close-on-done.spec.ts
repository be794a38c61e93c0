import { closeRequestId } from './close-on-done.js';

describe('closeRequestId', () => {
  const completion = {
    userId: 'u_1',
    provider: 'todoist',
    taskId: '6X7rM8997g3RQmvh',
    completionKey: 'due:2026-12-02',
  };

  it('is the same for every event asking for one completion (a redelivery, a double tap), so Todoist closes once', () => {
    expect(closeRequestId(completion)).toBe(closeRequestId({ ...completion }));
  });

  it('differs for the next date of a recurring task, so completing it later is a new close', () => {
    expect(closeRequestId(completion)).not.toBe(
      closeRequestId({ ...completion, completionKey: 'due:2026-12-03' }),
    );
  });

  it('differs between users and tasks', () => {
    const id = closeRequestId(completion);
    expect(closeRequestId({ ...completion, userId: 'u_2' })).not.toBe(id);
    expect(closeRequestId({ ...completion, taskId: 'other' })).not.toBe(id);
  });
});
