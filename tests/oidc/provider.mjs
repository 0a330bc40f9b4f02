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
// Environment:
// - OIDC_ACCESS_TOKEN_TTL (seconds, default 300) shortens access tokens for refresh tests.
// - OIDC_JWT_ACCESS_TOKENS=1 issues access tokens as JWTs for the member API
//   (`aud = urn:lofavor:member-api`, RFC 8707 resource indicators), so the reference
//   server can validate them; otherwise they are opaque, as most providers' are.
// - OIDC_TAMPER_ID_TOKEN=signature|alg-none|alg-hs256 damages the ID token of every token
//   response on its way out, as an attacker in the middle would: the client must refuse it.
// - OIDC_STALE_JWKS=once|always leaves the signing key out of the published key set (the
//   first answer only, as after a key rotation the client has not seen yet; or always).
// - OIDC_EXPIRES_IN=<seconds> replaces `expires_in` in every token response (a provider that
//   states an absurd lifetime).
// - OIDC_ISSUER_TRAILING_SLASH=1 makes the issuer identifier end in `/`
//   (`http://127.0.0.1:PORT/`), as some providers' identifiers do.
//
// Accounts whose id starts with `no-refresh-` get no refresh token (a provider's policy, as
// some apply per user or per client): their token response has an access and an ID token
// only.
//
// Fault injection and `GET /__stats` (counts of JWKS and token requests by grant type) are
// test instruments around the real provider: the provider itself is unchanged.

import { createServer } from 'node:http';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';

import { Provider } from 'oidc-provider';

const accessTokenTtl = Number(process.env.OIDC_ACCESS_TOKEN_TTL ?? 300);
const jwtAccessTokens = process.env.OIDC_JWT_ACCESS_TOKENS === '1';
const tamperIdToken = process.env.OIDC_TAMPER_ID_TOKEN ?? '';
const staleJwks = process.env.OIDC_STALE_JWKS ?? '';
const expiresIn = process.env.OIDC_EXPIRES_IN ? Number(process.env.OIDC_EXPIRES_IN) : null;
const trailingSlash = process.env.OIDC_ISSUER_TRAILING_SLASH === '1';
const memberApi = 'urn:lofavor:member-api';

/** A fresh RS256 signing key for this run: tests never depend on a fixed key. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

/** A second key, EC, that signs nothing: the key set a client cached before a rotation. */
function previousKey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: randomBytes(8).toString('hex'), alg: 'ES256', use: 'sig' };
}

/**
 * The members the provider knows: any account id logs in, with a name derived from it, and
 * a union membership (special-category data: only the member's own app may see it).
 */
async function findAccount(_ctx, sub) {
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        name: `Test Member ${sub}`,
        lofavor_membership: { union: 'Fellesforbundet', active: true },
      };
    },
  };
}

const b64url = (value) => Buffer.from(value).toString('base64url');

/** The ID token as an attacker would hand it over. */
function tamper(idToken, how) {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  switch (how) {
    case 'signature': {
      // Same header and signature, another subject: the signature no longer fits.
      const forged = b64url(JSON.stringify({ ...claims, sub: 'someone-else' }));
      return `${header}.${forged}.${signature}`;
    }
    case 'alg-none':
      return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    case 'alg-hs256': {
      // "Signed" with a key everybody knows: the client id of a public client.
      const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      const mac = createHmac('sha256', String(claims.aud)).update(`${head}.${payload}`).digest();
      return `${head}.${payload}.${b64url(mac)}`;
    }
    default:
      return idToken;
  }
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
const issuer = `http://127.0.0.1:${server.address().port}${trailingSlash ? '/' : ''}`;
const signing = signingKey();

const provider = new Provider(issuer, {
  clients: [nativeClient('lofavor-cli'), nativeClient('lofavor-android'), nativeClient('lofavor-ios')],
  // The RSA key signs (RS256 is the clients' default); the EC key only sits in the set.
  jwks: { keys: [signing, previousKey()] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  findAccount,
  scopes: ['openid', 'offline_access', 'profile', 'membership'],
  claims: { openid: ['sub'], profile: ['name'], membership: ['lofavor_membership'] },
  // The member's name and membership in the ID token too, so the app can show them offline
  // from the moment of login.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  // The provider's default, except for the `no-refresh-` accounts (see the top of this file).
  issueRefreshToken: async (_ctx, client, source) =>
    !String(source.accountId ?? '').startsWith('no-refresh-')
    && client.grantTypeAllowed('refresh_token')
    && source.scopes.has('offline_access'),
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: jwtAccessTokens,
      defaultResource: () => memberApi,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'openid profile membership offline_access',
        audience: memberApi,
        accessTokenFormat: 'jwt',
        accessTokenTTL: accessTokenTtl,
      }),
    },
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

// Test instruments around the provider (see the top of this file).
const stats = { jwks: 0, token: {} };
let jwksAnswers = 0;
provider.use(async (ctx, next) => {
  if (ctx.path === '/__stats') {
    ctx.body = stats;
    return;
  }
  await next();
  if (ctx.path === '/jwks') {
    stats.jwks += 1;
    jwksAnswers += 1;
    const hide = staleJwks === 'always' || (staleJwks === 'once' && jwksAnswers === 1);
    if (hide && ctx.body?.keys) {
      ctx.body = { keys: ctx.body.keys.filter((key) => key.kid !== signing.kid) };
    }
  }
  if (ctx.path === '/token') {
    const grant = ctx.oidc?.params?.grant_type ?? 'unknown';
    stats.token[grant] = (stats.token[grant] ?? 0) + 1;
    if (tamperIdToken && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: tamper(ctx.body.id_token, tamperIdToken) };
    }
    if (expiresIn !== null && ctx.body?.access_token) {
      ctx.body = { ...ctx.body, expires_in: expiresIn };
    }
  }
});

server.on('request', provider.callback());
process.stdout.write(`issuer ${issuer}\n`);

// Stop with the parent: on a signal, or when the test closes our standard input.
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
