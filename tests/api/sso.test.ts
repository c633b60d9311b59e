/**
 * Single sign-on (issue 12): the authorization code flow with PKCE against a real OpenID Connect
 * provider (the `oidc-provider` package, started here on its own port), hop by hop as a browser
 * makes it: the API's redirect to the issuer, the issuer's login form, the return to the callback,
 * and the session that follows (the refresh cookie the console then uses). The configured claim
 * (`preferred_username`) names the account; an unknown or disabled account, a forged or replayed
 * callback, are refused and sent back to the console's sign-in page with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devServerClient, testModels } from '../support/services.js';
import { startTestApi, type TestApi } from '../support/app.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { CookieClient, type Hop } from '../support/cookie-client.js';
import { loadDemoData } from '../../data/load-demo.js';
import { freePort } from '../../scripts/lib/services.js';

describe('single sign-on through an OpenID Connect provider', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let provider: TestOidcProvider;
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    db = await testModels();
    await loadDemoData(db.models);
    temporal = await devServerClient();
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/api/v1/auth/sso/callback`;
    provider = await startOidcProvider({ redirectUri });
    api = await startTestApi({
      temporal: temporal.client,
      models: db.models,
      port,
      config: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, OIDC_REDIRECT_URI: redirectUri, OIDC_DISPLAY_NAME: '义乌政务统一身份认证' },
    });
    admin = api.token({ sub: 'admin-1', role: 'admin', orgId: 'yiwu-pc' });
    for (const [username, disabled] of [['wang.sso', false], ['off.sso', true]] as const) {
      const res = await api.request('POST', '/api/v1/accounts', { token: admin, body: { username, role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl' } });
      expect(res.status).toBe(201);
      if (disabled) expect((await api.request('POST', `/api/v1/accounts/${username}/disable`, { token: admin })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await api?.close();
    await provider?.close();
    await temporal?.close();
    await db?.close();
  });

  /** The browser's way from the API's start to the issuer's login form, the login, and back to the API's callback URL. */
  async function signInAtIssuer(browser: CookieClient, idp: CookieClient, login: string): Promise<{ start: Hop; callbackUrl: string }> {
    const start = await browser.request('GET', '/api/v1/auth/sso/start');
    expect(start.status).toBe(302);
    let hop = await idp.request('GET', start.location!);
    for (let i = 0; i < 10 && hop.location && !hop.location.startsWith(api.baseUrl); i++) {
      hop = await idp.request('GET', hop.location);
    }
    if (hop.status === 200) {
      // The issuer's login form.
      const action = /<form[^>]*action="([^"]+)"/.exec(hop.text)?.[1];
      expect(action, hop.text.slice(0, 500)).toBeDefined();
      hop = await idp.request('POST', action!.replace(/&amp;/g, '&'), { form: { prompt: 'login', login, password: 'anything' } });
      for (let i = 0; i < 10 && hop.location && !hop.location.startsWith(api.baseUrl); i++) {
        hop = await idp.request('GET', hop.location);
      }
    }
    expect(hop.location, `${hop.status} ${hop.text.slice(0, 300)}`).toMatch(/\/api\/v1\/auth\/sso\/callback\?/);
    return { start, callbackUrl: hop.location! };
  }

  it('when the sign-in options are read, then single sign-on is offered with its label', async () => {
    const res = await api.request('GET', '/api/v1/auth/options');
    expect(res.body).toEqual({ password: true, sso: { label: '义乌政务统一身份认证', startUrl: '/api/v1/auth/sso/start' } });
  });

  it('when a user signs in at the issuer as an account\'s username, then the callback starts a session for that account and sends the browser to the console', async () => {
    const browser = new CookieClient(api.baseUrl);
    const idp = new CookieClient(provider.issuer);
    const { start, callbackUrl } = await signInAtIssuer(browser, idp, 'wang.sso');
    const authorize = new URL(start.location!);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('state')).toBeTruthy();

    const callback = await browser.request('GET', callbackUrl);
    expect(callback.status).toBe(302);
    expect(callback.location).toBe('/console/');
    expect(callback.setCookies.find((c) => c.startsWith('tr_refresh='))).toMatch(/HttpOnly; SameSite=Strict/);
    // The console, loading, turns the cookie into an access token.
    const session = await browser.request('POST', '/api/v1/auth/refresh');
    expect(session.status).toBe(200);
    expect(session.body.principal).toEqual({ sub: 'wang.sso', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl' });
    expect((await api.request('GET', '/api/v1/people/p-futang-pl', { token: session.body.accessToken })).status).toBe(200);
    const audit = await db.models.AuditEntry.find({ action: 'auth.signed-in', 'target.id': 'wang.sso' }).lean();
    expect(audit.map((e) => [e.outcome, e.details?.method])).toEqual([['ok', 'sso']]);

    // The same callback URL a second time (a replay): the attempt was taken, so it is refused.
    const replay = await browser.request('GET', callbackUrl);
    expect(replay.location).toBe('/console/#sso-error=state');
  });

  it('when the issuer\'s user has no account here, or a disabled one, then no session and the console is told why', async () => {
    for (const [login, reason] of [['stranger', 'unknown-account'], ['off.sso', 'disabled']]) {
      const browser = new CookieClient(api.baseUrl);
      const { callbackUrl } = await signInAtIssuer(browser, new CookieClient(provider.issuer), login!);
      const callback = await browser.request('GET', callbackUrl);
      expect(callback.location).toBe(`/console/#sso-error=${reason}`);
      expect(browser.cookie('tr_refresh')).toBeUndefined();
      const audit = await db.models.AuditEntry.find({ action: 'auth.signed-in', 'target.id': login }).lean();
      expect(audit.map((e) => [e.outcome, e.details?.reason])).toEqual([['rejected', reason]]);
    }
  });

  it('when the callback comes to another browser than the one that started (no attempt cookie), then it is refused as a forged state', async () => {
    const { callbackUrl } = await signInAtIssuer(new CookieClient(api.baseUrl), new CookieClient(provider.issuer), 'wang.sso');
    const other = new CookieClient(api.baseUrl);
    const callback = await other.request('GET', callbackUrl);
    expect(callback.location).toBe('/console/#sso-error=state');
    expect(other.cookie('tr_refresh')).toBeUndefined();
  });

  it('when the issuer cannot be reached, then the start answers 503 in the error format and nothing is kept', async () => {
    const closedPort = await freePort();
    const down = await startTestApi({
      temporal: temporal.client,
      models: db.models,
      config: { OIDC_ISSUER: `http://127.0.0.1:${closedPort}`, OIDC_CLIENT_ID: 'x', OIDC_REDIRECT_URI: `http://127.0.0.1:${closedPort}/cb` },
    });
    try {
      const before = await db.models.SsoAttempt.countDocuments({});
      const res = await new CookieClient(down.baseUrl).request('GET', '/api/v1/auth/sso/start');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      expect(await db.models.SsoAttempt.countDocuments({})).toBe(before);
    } finally {
      await down.close();
    }
  });

  it('when the code is exchanged without the PKCE verifier the attempt holds, then the issuer refuses it and no session starts', async () => {
    const browser = new CookieClient(api.baseUrl);
    const { callbackUrl } = await signInAtIssuer(browser, new CookieClient(provider.issuer), 'wang.sso');
    const state = new URL(callbackUrl).searchParams.get('state')!;
    await db.models.SsoAttempt.updateOne({ _id: state }, { $set: { codeVerifier: 'a'.repeat(64) } });
    const callback = await browser.request('GET', callbackUrl);
    expect(callback.location).toBe('/console/#sso-error=issuer');
    expect(browser.cookie('tr_refresh')).toBeUndefined();
  });
});
