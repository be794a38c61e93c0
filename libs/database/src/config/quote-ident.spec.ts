import { quoteIdent } from './quote-ident.js';

describe('quoteIdent', () => {
  it('quotes, doubling embedded quotes', () => {
    expect(quoteIdent('auth')).toBe('"auth"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it('allows 63 bytes and refuses more, counting bytes rather than characters', () => {
    expect(quoteIdent('a'.repeat(63))).toBe(`"${'a'.repeat(63)}"`);
    expect(() => quoteIdent('a'.repeat(64))).toThrow(/Invalid Postgres identifier/);
    // 32 two-byte characters: 32 characters, 64 bytes.
    expect(() => quoteIdent('é'.repeat(32))).toThrow(/Invalid Postgres identifier/);
  });

  it('refuses empty names and NUL', () => {
    expect(() => quoteIdent('')).toThrow(/Invalid Postgres identifier/);
    expect(() => quoteIdent('a\0b')).toThrow(/Invalid Postgres identifier/);
  });
});
