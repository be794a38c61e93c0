/**
 * A local stand-in for Google's OAuth2/OIDC endpoints (oauth2-mock-server), run as its own
 * process: the library's key handling does not survive Jest's module sandbox, and a separate
 * process is closer to the real thing anyway. It verifies PKCE at its token endpoint, answers
 * userinfo with MOCK_USERINFO, and prints one JSON line per event for the test to read.
 */
import { OAuth2Server } from 'oauth2-mock-server';

const provider = new OAuth2Server();
await provider.issuer.keys.generate('RS256');
provider.service.on('beforeTokenSigning', (_token: unknown, request: { body: unknown }) => {
  console.log(JSON.stringify({ event: 'token', body: request.body }));
});
provider.service.on('beforeUserinfo', (response: { body: unknown }) => {
  response.body = JSON.parse(process.env['MOCK_USERINFO'] ?? '{}') as unknown;
});
await provider.start(Number(process.env['MOCK_PORT']), '127.0.0.1');
console.log(JSON.stringify({ event: 'ready', issuer: provider.issuer.url }));
process.on('SIGTERM', () => {
  void provider.stop().then(() => process.exit(0));
});
