import { migrationTimestamp, toMigrationName } from './migration-name.js';

describe('migrationTimestamp', () => {
  it('is YYYYMMDDHHMMSS in UTC', () => {
    expect(migrationTimestamp(new Date('2026-11-22T08:09:10.999+02:00'))).toBe('20261122060910');
  });
});

describe('toMigrationName', () => {
  it('makes lower snake_case', () => {
    expect(toMigrationName('  Add tips-table ')).toBe('add_tips_table');
  });

  it('refuses a name with nothing left', () => {
    expect(() => toMigrationName('--')).toThrow(/empty migration name/);
  });
});
