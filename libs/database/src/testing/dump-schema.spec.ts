import { normalizeDump } from './dump-schema.js';

describe('normalizeDump', () => {
  it('replaces the schema name, bare or quoted, and drops noise lines', () => {
    const dump = [
      '-- PostgreSQL database dump',
      '\\restrict abc',
      'SET statement_timeout = 0;',
      '',
      'CREATE SCHEMA drift_m_auth;',
      'CREATE TABLE drift_m_auth.processed_event (',
      '    consumer text NOT NULL',
      ');',
      'ALTER TABLE ONLY "drift_m_auth".processed_event ADD CONSTRAINT x;',
    ].join('\n');

    expect(normalizeDump(dump, 'drift_m_auth')).toBe(
      [
        'CREATE SCHEMA <schema>;',
        'CREATE TABLE <schema>.processed_event (',
        '    consumer text NOT NULL',
        ');',
        'ALTER TABLE ONLY <schema>.processed_event ADD CONSTRAINT x;',
      ].join('\n'),
    );
  });

  it('leaves names that merely contain the schema name alone', () => {
    expect(normalizeDump('CREATE TABLE oauth.x_auth (auth_id int);', 'auth')).toBe(
      'CREATE TABLE oauth.x_auth (auth_id int);',
    );
  });
});
