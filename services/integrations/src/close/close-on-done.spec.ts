import { closeRequestId } from './close-on-done.js';

describe('closeRequestId', () => {
  const event = '0193f1c2-7a00-7000-8000-000000000001';

  it('is the same for every delivery of one feedback event, so Todoist closes once', () => {
    expect(closeRequestId(event)).toBe(closeRequestId(event));
  });

  it('differs between feedback events, so a later done is a new close', () => {
    expect(closeRequestId(event)).not.toBe(closeRequestId('0193f1c2-7a00-7000-8000-000000000002'));
  });
});
