/**
 * Single sign-on: OpenID Connect authorization code flow with PKCE (S256), state and nonce,
 * against the issuer in OIDC_ISSUER, with openid-client. The ID token's signature is checked
 * against the issuer's JWKS (`enableNonRepudiationChecks`), besides its issuer, audience, expiry
 * and nonce. The claim OIDC_USERNAME_CLAIM (from the ID token, or else from the userinfo
 * endpoint) names the account the user signs in as: the account, made by an admin, says the
 * role, organisation and person, as for a password sign-in (docs/accounts.md).
 */
import * as oidc from 'openid-client';
import type { Request } from 'express';
import type { Config } from '../../config/env.js';

export interface SsoSettings {
  issuer: URL;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  usernameClaim: string;
  scopes: string;
  displayName: string;
}

export type SsoConfig = Partial<
  Pick<Config, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_REDIRECT_URI' | 'OIDC_USERNAME_CLAIM' | 'OIDC_SCOPES' | 'OIDC_DISPLAY_NAME'>
>;

/** The settings when single sign-on is configured, else null. */
export function ssoSettingsOf(config: SsoConfig): SsoSettings | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_REDIRECT_URI) return null;
  const scopes = new Set(['openid', ...(config.OIDC_SCOPES ?? 'openid profile').split(/\s+/).filter(Boolean)]);
  return {
    issuer: new URL(config.OIDC_ISSUER),
    clientId: config.OIDC_CLIENT_ID,
    ...(config.OIDC_CLIENT_SECRET ? { clientSecret: config.OIDC_CLIENT_SECRET } : {}),
    redirectUri: config.OIDC_REDIRECT_URI,
    usernameClaim: config.OIDC_USERNAME_CLAIM ?? 'preferred_username',
    scopes: [...scopes].join(' '),
    displayName: config.OIDC_DISPLAY_NAME ?? '统一身份认证',
  };
}

/** Plain HTTP is allowed only to an issuer on this host's loopback (development, the tests' provider). */
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** The issuer's metadata, discovered once per process (again after a failure). */
const discovered = new Map<string, Promise<oidc.Configuration>>();

export function issuerConfiguration(settings: SsoSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer.href} ${settings.clientId}`;
  let config = discovered.get(key);
  if (!config) {
    config = oidc.discovery(
      settings.issuer,
      settings.clientId,
      undefined,
      settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
      {
        execute: [...(settings.issuer.protocol === 'http:' && isLoopback(settings.issuer) ? [oidc.allowInsecureRequests] : []), oidc.enableNonRepudiationChecks],
        timeout: 10,
      },
    );
    discovered.set(key, config);
    config.catch(() => discovered.delete(key));
  }
  return config;
}

/** A new attempt: where to send the browser, and what the callback must find again. */
export async function beginSignIn(settings: SsoSettings): Promise<{ url: URL; state: string; nonce: string; codeVerifier: string }> {
  const config = await issuerConfiguration(settings);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: settings.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, state, nonce, codeVerifier };
}

/**
 * The callback: exchanges the code (with the PKCE verifier), checks the ID token, and returns
 * the username claim's value (null when the issuer sent none). Throws on any failure of the flow.
 */
export async function finishSignIn(settings: SsoSettings, req: Request, attempt: { state: string; nonce: string; codeVerifier: string }): Promise<string | null> {
  const config = await issuerConfiguration(settings);
  // The URL the issuer redirected to, as configured (a proxy may have changed the host the API sees).
  const currentUrl = new URL(settings.redirectUri);
  currentUrl.search = new URL(req.originalUrl, 'http://callback').search;
  const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
    pkceCodeVerifier: attempt.codeVerifier,
    expectedState: attempt.state,
    expectedNonce: attempt.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) return null;
  let value = claims[settings.usernameClaim];
  if (value === undefined) {
    // Many issuers put profile claims in the userinfo answer only (the code flow's ID token has `sub`).
    value = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[settings.usernameClaim];
  }
  return typeof value === 'string' && value.length > 0 ? value : null;
}
