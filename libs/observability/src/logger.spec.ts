import { createLogger } from './logger.js';

function logged(fields: Record<string, unknown>): string {
  const lines: string[] = [];
  createLogger('test', 'info', { write: (line: string) => void lines.push(line) }).info(
    fields,
    'hi',
  );
  return lines.join('');
}

describe('createLogger', () => {
  it.each([
    'token',
    'accessToken',
    'refreshToken',
    'access_token',
    'refresh_token',
    'client_secret',
  ])('cuts %s at the top level and one level down', (key) => {
    const line = logged({ [key]: 'SECRET-TOP', response: { [key]: 'SECRET-NESTED' } });

    expect(line).not.toContain('SECRET');
    expect(JSON.parse(line)).toMatchObject({
      [key]: '[redacted]',
      response: { [key]: '[redacted]' },
    });
  });

  it('keeps what is not a secret', () => {
    expect(JSON.parse(logged({ userId: 'u1', provider: 'todoist' }))).toMatchObject({
      service: 'test',
      userId: 'u1',
      provider: 'todoist',
    });
  });
});
