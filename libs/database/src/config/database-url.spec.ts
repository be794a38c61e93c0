import { DEFAULT_DATABASE_URL } from '@oo/config';

import { databaseNameOf, redactUrl, resolveDatabaseUrl, withDatabase } from './database-url.js';

describe('database URLs', () => {
  it('defaults to the development database', () => {
    expect(resolveDatabaseUrl({})).toBe(DEFAULT_DATABASE_URL);
    expect(resolveDatabaseUrl({ DATABASE_URL: ' ' })).toBe(DEFAULT_DATABASE_URL);
    expect(resolveDatabaseUrl({ DATABASE_URL: 'postgresql://u@h/x' })).toBe('postgresql://u@h/x');
  });

  it('swaps the database and keeps credentials and parameters', () => {
    expect(withDatabase('postgresql://u:p@h:5433/oo?sslmode=disable', 'oo_test_1')).toBe(
      'postgresql://u:p@h:5433/oo_test_1?sslmode=disable',
    );
    expect(databaseNameOf('postgresql://u@h/oo_test_1')).toBe('oo_test_1');
  });

  it('redacts credentials for logs', () => {
    expect(redactUrl('postgresql://user:secret@db.example:5433/oo')).toBe('db.example:5433/oo');
  });
});
