import { edgeSecurityHeaders } from './edge-plugins.js';
import { securityHeaders } from './security-headers.js';

describe('securityHeaders', () => {
  it("keeps helmet's headers in its order, and what it removes", () => {
    const { set, removed } = securityHeaders({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } },
      crossOriginEmbedderPolicy: false,
    });
    expect(set[0]).toEqual([
      'Content-Security-Policy',
      expect.stringMatching(/^default-src 'self';/) as unknown,
    ]);
    expect(Object.fromEntries(set)).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
    });
    expect(set.map(([name]) => name)).not.toContain('Cross-Origin-Embedder-Policy');
    expect(removed).toEqual(['X-Powered-By']);
  });

  it('refuses a directive computed per request, which one computation cannot honour', () => {
    expect(() =>
      securityHeaders({
        contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-abc'"] } },
      }),
    ).toThrow(/cannot be a function/);
  });

  it("keeps the edge's CSP free of inline code, upgrading requests to https only in production", () => {
    const csp = (production: boolean) =>
      new Map(edgeSecurityHeaders(production).set).get('Content-Security-Policy')!;
    expect(csp(true)).toContain('upgrade-insecure-requests');
    expect(csp(false)).not.toContain('upgrade-insecure-requests');
    for (const policy of [csp(true), csp(false)]) {
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https:/);
      expect(policy).toContain("worker-src 'self'");
    }
  });
});
