import { matchesChecksum, migrationChecksum } from './checksum.js';

describe('migrationChecksum', () => {
  it('is the lowercase hex SHA-256 of the script', () => {
    expect(migrationChecksum('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

describe('matchesChecksum', () => {
  const script = 'CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n';

  it('accepts the same script and the same script with other line endings', () => {
    const recorded = migrationChecksum(script);
    expect(matchesChecksum(script, recorded)).toBe(true);
    expect(matchesChecksum(script.replaceAll('\n', '\r\n'), recorded)).toBe(true);
    expect(matchesChecksum(script, migrationChecksum(script.replaceAll('\n', '\r\n')))).toBe(true);
  });

  it('rejects any other change', () => {
    expect(matchesChecksum(script.replace('INT', 'BIGINT'), migrationChecksum(script))).toBe(false);
  });
});
