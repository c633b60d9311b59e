/**
 * Accounts with passwords and the sessions they sign in to (issue 12, "Accounts"), against the
 * real app, FerretDB and the Yiwu demo data: an admin creates, resets, disables and enables
 * accounts under the password policy (ACCOUNT-PASSWORD); 5 failures lock an account for 15
 * minutes; sign-in gives a 15-minute access token and a rotating refresh token in an httpOnly,
 * SameSite=Strict cookie limited to /api/v1/auth; a reused refresh token revokes its session;
 * sign-out and disabling revoke; every step is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { CookieClient } from '../support/cookie-client.js';
import type { TestApi } from '../support/app.js';
import { passwordProblems, DEFAULT_PASSWORD_POLICY } from '../../domain/accounts/password-policy.js';
import { seedPolicies } from '../../models/policy.js';

const GOOD = 'Futang-2026!';
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('accounts, passwords and sessions', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo' });
    await seedPolicies(h.models); // as the API does at start
    api = h.api;
    admin = api.token({ sub: 'admin-1', role: 'admin', orgId: 'yiwu-pc' });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function createAccount(username: string, extra: Record<string, unknown> = {}) {
    const res = await api.request('POST', '/api/v1/accounts', {
      token: admin,
      body: { username, role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl', password: GOOD, ...extra },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  const signIn = (client: CookieClient, username: string, password = GOOD) => client.request('POST', '/api/v1/auth/sign-in', { body: { username, password } });
  const refresh = (client: CookieClient) => client.request('POST', '/api/v1/auth/refresh');
  /** The account's audit entries as `action:outcome[:reason]`, sorted (entries written in one millisecond have no order). */
  const actions = async (username: string) =>
    (await h.models.AuditEntry.find({ 'target.kind': 'account', 'target.id': username }).lean())
      .map((e) => `${e.action}:${e.outcome}${e.details?.reason ? `:${e.details.reason}` : ''}`)
      .sort();
  const sorted = (list: string[]) => [...list].sort();

  it('when passwords are checked against the default policy, then 10 characters of 3 classes pass and nothing less', () => {
    expect(passwordProblems('Futang-2026!', 'wang', DEFAULT_PASSWORD_POLICY)).toEqual([]);
    expect(passwordProblems('abcdefgh12', 'wang', DEFAULT_PASSWORD_POLICY)).toHaveLength(1); // 2 classes
    expect(passwordProblems('Ab1-short', 'wang', DEFAULT_PASSWORD_POLICY)).toHaveLength(1); // 9 characters
    expect(passwordProblems('廉政建设Abc123', 'wang', DEFAULT_PASSWORD_POLICY)).toEqual([]); // Chinese characters count as "other"
    expect(passwordProblems('Wang-2026-xyz', 'wang', DEFAULT_PASSWORD_POLICY)).toEqual(['not containing the username']);
  });

  it('when an admin creates an account, then the password is stored as an argon2id hash and the creation is audited; weak passwords, a person without a post there, a taken name and non-admins are refused', async () => {
    const view = await createAccount('wang.pl');
    expect(view).toMatchObject({ username: 'wang.pl', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl', disabled: false, hasPassword: true });
    expect(view).not.toHaveProperty('passwordHash');
    const stored = await h.models.Account.findById('wang.pl').lean();
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const weak = await api.request('POST', '/api/v1/accounts', { token: admin, body: { username: 'weak.one', role: 'unit', orgId: 'futang-pc', password: 'password12' } });
    expect(weak.status).toBe(422);
    expect(weak.body.error.details.problems).toHaveLength(1);
    const elsewhere = await api.request('POST', '/api/v1/accounts', { token: admin, body: { username: 'wrong.post', role: 'leader', orgId: 'yiwu-pc', personId: 'p-futang-pl', password: GOOD } });
    expect(elsewhere.status).toBe(422);
    const taken = await api.request('POST', '/api/v1/accounts', { token: admin, body: { username: 'wang.pl', role: 'unit', orgId: 'futang-pc', password: GOOD } });
    expect(taken.status).toBe(409);
    const byUnit = await api.request('POST', '/api/v1/accounts', { token: api.token({ sub: 'u', role: 'unit', orgId: 'futang-pc' }), body: {} });
    expect(byUnit.status).toBe(403);
    expect(await h.models.Account.exists({ _id: 'weak.one' })).toBeNull();
    expect(await actions('wang.pl')).toEqual(['account.created:ok']);
  });

  it('when an account signs in, then it gets a 15-minute access token the API accepts and a refresh cookie that is httpOnly, SameSite=Strict and limited to /api/v1/auth', async () => {
    await createAccount('sign.in');
    const client = new CookieClient(api.baseUrl);
    const res = await signIn(client, 'sign.in');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', principal: { sub: 'sign.in', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl' } });
    const claims = jwt.decode(res.body.accessToken) as { exp: number; iat: number; iss: string; aud: string };
    expect(claims.exp - claims.iat).toBe(15 * 60);
    expect(claims).toMatchObject({ iss: 'two-responsibilities', aud: 'two-responsibilities-api' });
    const cookie = res.setCookies.find((c) => c.startsWith('tr_refresh='));
    expect(cookie).toMatch(/; Path=\/api\/v1\/auth;/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    // Over plain HTTP to the loopback (this test) the cookie cannot be Secure; anywhere else it is.
    expect(cookie).not.toMatch(/; Secure/);
    const person = await api.request('GET', '/api/v1/people/p-futang-pl', { token: res.body.accessToken });
    expect(person.status).toBe(200);
    expect(await actions('sign.in')).toEqual(sorted(['account.created:ok', 'auth.signed-in:ok']));
  });

  it('when a wrong password is given 5 times, then the account is locked for 15 minutes, the right password is refused meanwhile, and each step is audited', async () => {
    await createAccount('lock.me');
    const client = new CookieClient(api.baseUrl);
    for (let i = 0; i < 5; i++) {
      const wrong = await signIn(client, 'lock.me', `Wrong-password-${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toMatchObject({ code: 'unauthorized', message: 'wrong username or password' });
    }
    const locked = await signIn(client, 'lock.me');
    expect(locked.status).toBe(401);
    expect(locked.body.error.details.reason).toBe('locked');
    const until = new Date(locked.body.error.details.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(client.cookie('tr_refresh')).toBeUndefined();
    expect(await actions('lock.me')).toEqual(
      sorted(['account.created:ok', ...Array<string>(5).fill('auth.signed-in:rejected:wrong-password'), 'account.locked:ok', 'auth.signed-in:rejected:locked']),
    );
    // Fifteen minutes later (moved back here rather than waited for), the right password signs in and clears the count.
    await h.models.Account.updateOne({ _id: 'lock.me' }, { $set: { lockedUntil: new Date(Date.now() - 1_000) } });
    expect((await signIn(client, 'lock.me')).status).toBe(200);
    expect((await h.models.Account.findById('lock.me').lean())?.failedAttempts).toBe(0);
  });

  it('when an unknown username signs in, then the answer is the one of a wrong password, and the attempt is audited', async () => {
    const res = await signIn(new CookieClient(api.baseUrl), 'nobody.here');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('wrong username or password');
    expect(await actions('nobody.here')).toEqual(['auth.signed-in:rejected:unknown-account']);
  });

  it('when the refresh token is used, then it rotates; when an old one is used again, the whole session is revoked', async () => {
    await createAccount('rotate.me');
    const client = new CookieClient(api.baseUrl);
    expect((await signIn(client, 'rotate.me')).status).toBe(200);
    const first = client.cookie('tr_refresh')!;
    const once = await refresh(client);
    expect(once.status).toBe(200);
    expect(jwt.decode(once.body.accessToken)).toMatchObject({ sub: 'rotate.me', role: 'leader' });
    const second = client.cookie('tr_refresh')!;
    expect(second).not.toBe(first);
    expect((await refresh(client)).status).toBe(200);
    const third = client.cookie('tr_refresh')!;

    // Someone replays the first token (a stolen cookie): refused, and the session is revoked for everyone.
    const thief = new CookieClient(api.baseUrl);
    thief.setCookie('tr_refresh', first, '/api/v1/auth');
    const replay = await refresh(thief);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('unauthorized');
    client.setCookie('tr_refresh', third, '/api/v1/auth');
    const owner = await refresh(client);
    expect(owner.status).toBe(401);
    expect(await actions('rotate.me')).toContain('auth.session-revoked:ok:refresh-token-reused');
  });

  it('when the account signs out, then its refresh token no longer works and the cookie is cleared', async () => {
    await createAccount('sign.out');
    const client = new CookieClient(api.baseUrl);
    await signIn(client, 'sign.out');
    const token = client.cookie('tr_refresh')!;
    const out = await client.request('POST', '/api/v1/auth/sign-out');
    expect(out.status).toBe(200);
    expect(client.cookie('tr_refresh')).toBeUndefined();
    client.setCookie('tr_refresh', token, '/api/v1/auth');
    expect((await refresh(client)).status).toBe(401);
    expect(await actions('sign.out')).toEqual(sorted(['account.created:ok', 'auth.signed-in:ok', 'auth.session-revoked:ok:signed-out']));
    // Without a session, signing out is still fine and changes nothing.
    expect((await new CookieClient(api.baseUrl).request('POST', '/api/v1/auth/sign-out')).status).toBe(200);
  });

  it('when an admin disables an account, then its sessions end and it cannot sign in; enabled again, it signs in but the old sessions stay ended', async () => {
    await createAccount('disable.me');
    const client = new CookieClient(api.baseUrl);
    await signIn(client, 'disable.me');
    const oldSession = client.cookie('tr_refresh')!;
    const disabled = await api.request('POST', '/api/v1/accounts/disable.me/disable', { token: admin });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect((await refresh(client)).status).toBe(401);
    const refused = await signIn(new CookieClient(api.baseUrl), 'disable.me');
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('the account is disabled');

    expect((await api.request('POST', '/api/v1/accounts/disable.me/enable', { token: admin })).status).toBe(200);
    expect((await signIn(new CookieClient(api.baseUrl), 'disable.me')).status).toBe(200);
    const stale = new CookieClient(api.baseUrl);
    stale.setCookie('tr_refresh', oldSession, '/api/v1/auth');
    expect((await refresh(stale)).status).toBe(401);
    expect(await actions('disable.me')).toEqual(
      sorted([
        'account.created:ok',
        'auth.signed-in:ok',
        'account.disabled:ok',
        'auth.session-revoked:ok:disabled',
        'auth.signed-in:rejected:disabled',
        'account.enabled:ok',
        'auth.signed-in:ok',
      ]),
    );
  });

  it('when an admin resets a password, then the policy applies, the old password and sessions stop working and a lock is lifted', async () => {
    await createAccount('reset.me');
    const client = new CookieClient(api.baseUrl);
    await signIn(client, 'reset.me');
    for (let i = 0; i < 5; i++) await signIn(new CookieClient(api.baseUrl), 'reset.me', 'Not-the-password-1');
    expect((await api.request('GET', '/api/v1/accounts/reset.me', { token: admin })).body.lockedUntil).toBeDefined();
    const weak = await api.request('POST', '/api/v1/accounts/reset.me/password', { token: admin, body: { password: 'short' } });
    expect(weak.status).toBe(422);
    const reset = await api.request('POST', '/api/v1/accounts/reset.me/password', { token: admin, body: { password: 'New-Password-42' } });
    expect(reset.status).toBe(200);
    expect(reset.body.lockedUntil).toBeUndefined();
    expect((await refresh(client)).status).toBe(401);
    expect((await signIn(new CookieClient(api.baseUrl), 'reset.me')).status).toBe(401);
    expect((await signIn(new CookieClient(api.baseUrl), 'reset.me', 'New-Password-42')).status).toBe(200);
    expect(await actions('reset.me')).toEqual(expect.arrayContaining(['account.password-reset:ok', 'auth.session-revoked:ok:password-reset']));
    expect((await api.request('POST', '/api/v1/accounts/nobody/password', { token: admin, body: { password: 'New-Password-42' } })).status).toBe(404);
  });

  it('when an account changes its own password, then the current one is checked, the policy applies, its other sessions end and this one goes on', async () => {
    await createAccount('change.me');
    const other = new CookieClient(api.baseUrl);
    await signIn(other, 'change.me');
    const client = new CookieClient(api.baseUrl);
    const signedIn = await signIn(client, 'change.me');
    const change = (body: object) => client.request('POST', '/api/v1/auth/password', { token: signedIn.body.accessToken, body });
    expect((await change({ currentPassword: 'Not-my-password-1', newPassword: 'Changed-2026-pw' })).status).toBe(401);
    expect((await change({ currentPassword: GOOD, newPassword: 'weak' })).status).toBe(422);
    const changed = await change({ currentPassword: GOOD, newPassword: 'Changed-2026-pw' });
    expect(changed.status).toBe(200);
    expect(changed.body.principal.sub).toBe('change.me');
    expect((await refresh(other)).status).toBe(401);
    expect((await refresh(client)).status).toBe(200);
    expect((await signIn(new CookieClient(api.baseUrl), 'change.me')).status).toBe(401);
    expect((await signIn(new CookieClient(api.baseUrl), 'change.me', 'Changed-2026-pw')).status).toBe(200);
    expect(await actions('change.me')).toEqual(expect.arrayContaining(['account.password-changed:ok', 'auth.session-revoked:ok:password-changed']));
    // A developer token names no account: nothing to change.
    const devToken = api.token({ sub: 'dev-admin', role: 'admin', orgId: 'yiwu-pc' });
    expect((await api.request('POST', '/api/v1/auth/password', { token: devToken, body: { currentPassword: GOOD, newPassword: 'Changed-2026-pw' } })).status).toBe(404);
  });

  it('when an admin tightens the password policy, then the next password is checked against the new version', async () => {
    const current = await api.request('GET', '/api/v1/policies/ACCOUNT-PASSWORD', { token: admin });
    expect(current.status).toBe(200);
    expect(current.body.current.entry).toMatchObject({ minLength: 10, minClasses: 3, maxFailures: 5, lockoutMinutes: 15 });
    const { code: _code, ...fields } = current.body.current.entry as Record<string, unknown>;
    const edit = await api.request('PUT', '/api/v1/policies/ACCOUNT-PASSWORD', {
      token: admin,
      body: { ...fields, baseVersion: current.body.current.version, minLength: 14, note: 'longer passwords' },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const refused = await api.request('POST', '/api/v1/accounts', { token: admin, body: { username: 'policy.v2', role: 'unit', orgId: 'futang-pc', password: GOOD } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.problems).toEqual(['at least 14 characters']);
    const longer = await api.request('POST', '/api/v1/accounts', { token: admin, body: { username: 'policy.v2', role: 'unit', orgId: 'futang-pc', password: 'Futang-2026-long!' } });
    expect(longer.status).toBe(201);
  });

  it('when the refresh endpoint gets no cookie or a made-up one, then 401 and nothing is written', async () => {
    const before = await h.models.AuditEntry.countDocuments({});
    expect((await refresh(new CookieClient(api.baseUrl))).status).toBe(401);
    const forged = new CookieClient(api.baseUrl);
    forged.setCookie('tr_refresh', 'made-up-token', '/api/v1/auth');
    expect((await refresh(forged)).status).toBe(401);
    expect(await h.models.AuditEntry.countDocuments({})).toBe(before);
  });

  it('when the first administrator is made from the command line (npm run account:create), then it signs in; a weak password is refused there too', async () => {
    const uri = new URL(inject('mongoUri'));
    uri.pathname = `/${h.models.conn.name}`;
    const run = (password: string) =>
      promisify(execFile)(`${root}node_modules/.bin/tsx`, ['scripts/create-account.ts', '--username', 'first.admin', '--role', 'admin', '--org', 'yiwu-pc'], {
        cwd: root,
        env: { ...process.env, MONGODB_URI: uri.toString(), ACCOUNT_PASSWORD: password },
      }).then(
        ({ stdout }) => ({ code: 0, out: stdout }),
        (err: { code: number; stderr: string }) => ({ code: err.code, out: err.stderr }),
      );
    const weak = await run('password');
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/does not meet the policy/);
    const made = await run('Yiwu-Admin-2026!');
    expect(made.code, made.out).toBe(0);
    const signedIn = await signIn(new CookieClient(api.baseUrl), 'first.admin', 'Yiwu-Admin-2026!');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.principal).toMatchObject({ role: 'admin', orgId: 'yiwu-pc' });
    expect(await actions('first.admin')).toEqual(['account.created:ok', 'auth.signed-in:ok']);
  });

  it('when the sign-in options are read, then password sign-in is offered and single sign-on is not (not configured here)', async () => {
    const res = await api.request('GET', '/api/v1/auth/options');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ password: true, sso: null });
    expect((await api.request('GET', '/api/v1/auth/sso/start')).status).toBe(404);
  });
});
