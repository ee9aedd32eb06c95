// A real OpenID Connect provider for the tests and for trying single sign-on locally
// (npm's oidc-provider, OpenID Certified): authorization code flow with PKCE required,
// RS256-signed ID tokens carrying a `groups` claim, and a plain sign-in form (any
// password) for the accounts of its configuration file.
//
//   node tests/idp/server.mjs CONFIG.json
//
// CONFIG.json: {"port": 0, "clients": [{"client_id", "client_secret", "redirect_uris"}],
//   "accounts": {"<login>": {"email", "given_name", "family_name", "groups": [...]}},
//   "tamper": null}
// Accounts and "tamper" are read again at every request, so a test can change a user's
// groups at the provider between two sign-ins. "tamper" (tests only) makes the token
// endpoint return a broken ID token: "signature" (signed with another key under the real
// key's id), "unsigned" (alg "none"), "audience", "nonce" or "expired" (re-signed with the
// real key).
// Listens on 127.0.0.1 only, and prints "LISTENING <issuer>" once it is ready.

import { createPrivateKey, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const configPath = process.argv[2];
const readConfig = () => JSON.parse(readFileSync(configPath, 'utf8'));
const initial = readConfig();

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ format: 'jwk' });
}
const key = { ...signingKey(), kid: randomUUID(), alg: 'RS256', use: 'sig' };
const otherKey = signingKey();

const b64 = (value) => Buffer.from(value).toString('base64url');

function sign(header, payload, jwk) {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  const signer = createSign('RSA-SHA256');
  signer.update(input);
  return `${input}.${signer.sign(createPrivateKey({ key: jwk, format: 'jwk' })).toString('base64url')}`;
}

function tampered(idToken, how) {
  const [header, payload] = idToken.split('.').slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  if (how === 'signature') return sign(header, payload, otherKey);
  if (how === 'unsigned') {
    return `${b64(JSON.stringify({ ...header, alg: 'none' }))}.${b64(JSON.stringify(payload))}.`;
  }
  if (how === 'audience') payload.aud = 'some-other-client';
  if (how === 'nonce') payload.nonce = 'a-nonce-this-client-never-sent';
  if (how === 'expired') {
    payload.iat -= 7200;
    payload.exp = Math.floor(Date.now() / 1000) - 3600;
  }
  return sign(header, payload, key);
}

const server = createServer();
server.listen(initial.port || 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: initial.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    jwks: { keys: [key] },
    cookies: { keys: [randomUUID()] },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
    },
    // The ID token carries the claims itself (as Entra ID's does), not only userinfo.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, sub) {
      const account = readConfig().accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          const name = `${account.given_name || ''} ${account.family_name || ''}`.trim();
          return { sub, email_verified: true, name, preferred_username: sub, groups: [], ...account };
        },
      };
    },
    // First-party clients: no consent screen, every requested scope granted.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile groups');
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'given_name', 'family_name',
        'preferred_username', 'groups']);
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const how = readConfig().tamper;
    if (how && ctx.oidc?.route === 'token' && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: tampered(ctx.body.id_token, how) };
    }
  });
  // The provider's own errors, in the test's output.
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  console.log(`LISTENING ${issuer}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
