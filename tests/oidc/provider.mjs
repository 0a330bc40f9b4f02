// A real OpenID Provider (the npm package oidc-provider) on a free loopback port, for the
// login tests. It prints one line, `issuer http://127.0.0.1:PORT`, once it listens, and runs
// until it is killed or its standard input closes (so a test that dies takes it along).
//
// Clients: `lofavor-cli` and `lofavor-android`, native public clients (no secret, PKCE
// required) with the loopback redirect of RFC 8252 §7.3 (any port) and the app's
// private-use redirect. Refresh tokens are issued for `offline_access` and rotated on every
// use; a replayed refresh token revokes the grant (the provider's default).
//
// Members log in through the provider's development interactions: a login form that takes
// any account id, then a consent form. Tests drive them with an HTTP client and a cookie jar.
//
// Environment: OIDC_ACCESS_TOKEN_TTL (seconds, default 300) shortens access tokens for
// refresh tests.

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';

import { Provider } from 'oidc-provider';

const accessTokenTtl = Number(process.env.OIDC_ACCESS_TOKEN_TTL ?? 300);

/** A fresh RS256 signing key for this run: tests never depend on a fixed key. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

/** The members the provider knows: any account id logs in, with a name derived from it. */
async function findAccount(_ctx, sub) {
  return {
    accountId: sub,
    async claims() {
      return { sub, name: `Test Member ${sub}` };
    },
  };
}

const nativeClient = (clientId) => ({
  client_id: clientId,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/callback', 'no.lofavor.app:/oauth2redirect'],
  post_logout_redirect_uris: ['http://127.0.0.1/logged-out', 'no.lofavor.app:/logged-out'],
});

const server = createServer();
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [nativeClient('lofavor-cli'), nativeClient('lofavor-android'), nativeClient('lofavor-ios')],
  jwks: { keys: [signingKey()] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  findAccount,
  scopes: ['openid', 'offline_access', 'profile'],
  claims: { openid: ['sub'], profile: ['name'] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  ttl: {
    AccessToken: accessTokenTtl,
    AuthorizationCode: 60,
    IdToken: 3600,
    RefreshToken: 14 * 24 * 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 14 * 24 * 3600,
  },
});

server.on('request', provider.callback());
process.stdout.write(`issuer ${issuer}\n`);

// Stop with the parent: on a signal, or when the test closes our standard input.
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
