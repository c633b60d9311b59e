/**
 * Signing in and out (docs/accounts.md): with a password, or through the configured OpenID
 * Connect issuer; refreshing the access token with the refresh cookie; and what the sign-in page
 * may offer. Every endpoint here is public: it is how a caller gets a token.
 */
import { z } from 'zod';
import type { Request, Response } from 'express';
import { parseCookie } from 'cookie';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { ApiError, notFound } from '../http/errors.js';
import type { Account } from '../../models/account.js';
import { actorOf, tokenScopeOf } from './tokens.js';
import { checkedHash, Password } from '../accounts/create.js';
import { checkPassword } from './password-sign-in.js';
import { SessionAnswer, endSession, refreshSession, secureCookies, sessionRefusal, startSession, type SessionDeps } from './sessions.js';
import { beginSignIn, finishSignIn, ssoSettingsOf } from './sso.js';
import { auditAccountEvent } from './audit.js';

const SignInBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

const CONSOLE = '/console/';
const SSO_COOKIE = 'tr_sso';
const SSO_COOKIE_PATH = '/api/v1/auth/sso';
const SSO_ATTEMPT_MINUTES = 10;

/** Where a failed single sign-on sends the browser: the console's sign-in page, which says why. */
const ssoFailure = (reason: string) => `${CONSOLE}#sso-error=${encodeURIComponent(reason)}`;

/** Sends the browser on; the endpoint helper sends nothing more once this has answered. */
function redirect(res: Response, location: string): string {
  res.redirect(302, location);
  return location;
}

export function authEndpoints(api: Endpoints, deps: AppDeps): void {
  const { models } = deps;
  const sessions: SessionDeps = { models, secret: deps.config.AUTH_SECRET, scope: tokenScopeOf(deps.config) };
  const sso = ssoSettingsOf(deps.config);

  api.add(
    {
      method: 'get',
      path: '/api/v1/auth/options',
      summary: 'How one may sign in here: with a password, and through single sign-on when it is configured',
      tag: 'sign-in',
      access: 'public',
      response: {
        status: 200,
        description: 'the sign-in methods',
        schema: z.object({
          password: z.literal(true),
          sso: z.object({ label: z.string(), startUrl: z.string() }).nullable().describe('null: no single sign-on configured'),
        }),
      },
    },
    () => ({ password: true as const, sso: sso ? { label: sso.displayName, startUrl: '/api/v1/auth/sso/start' } : null }),
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/auth/sign-in',
      summary: 'Sign in with a username and password: an access token (15 minutes) and a refresh cookie',
      tag: 'sign-in',
      access: 'public',
      body: SignInBody,
      response: { status: 200, description: 'signed in; the refresh token is in the httpOnly cookie `tr_refresh`', schema: SessionAnswer },
      errors: [401],
    },
    async ({ body, req, res }) => {
      const account = await checkPassword(models, body.username, body.password);
      return startSession(sessions, account, 'password', req, res);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/auth/refresh',
      summary: 'A new access token for the refresh cookie, which is replaced by the next one (each is used once)',
      tag: 'sign-in',
      access: 'public',
      response: { status: 200, description: 'a new access token; the cookie holds the next refresh token', schema: SessionAnswer },
      errors: [401],
    },
    ({ req, res }) => refreshSession(sessions, req, res),
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/auth/sign-out',
      summary: 'Sign out: the refresh cookie\'s session is revoked and the cookie cleared',
      tag: 'sign-in',
      access: 'public',
      response: { status: 200, description: 'signed out (also when there was no session)', schema: z.object({ signedOut: z.literal(true) }) },
    },
    async ({ req, res }) => {
      await endSession(sessions, req, res);
      return { signedOut: true as const };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/auth/password',
      summary: 'Change one\'s own password: every other session of the account ends, this one goes on with a new refresh cookie',
      tag: 'sign-in',
      access: 'authenticated',
      body: z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: Password }),
      response: { status: 200, description: 'changed; a new access token and refresh cookie', schema: SessionAnswer },
      errors: [401, 404, 422],
    },
    async ({ body, principal, req, res }) => {
      // A developer token names no account: there is no password to change.
      if (!(await models.Account.exists({ _id: principal.sub }))) throw notFound(`account ${principal.sub}`);
      // The current password is checked as at sign-in: failures count towards the lock.
      const account = await checkPassword(models, principal.sub, body.currentPassword);
      const passwordHash = await checkedHash(models, account._id, body.newPassword);
      const now = new Date();
      await models.Account.updateOne({ _id: account._id }, { $set: { passwordHash, passwordChangedAt: now, sessionsValidFrom: now } });
      const actor = { kind: 'user' as const, ...actorOf(principal) };
      await auditAccountEvent(models, { action: 'account.password-changed', username: account._id, account, actor, outcome: 'ok' });
      await auditAccountEvent(models, { action: 'auth.session-revoked', username: account._id, account, actor, outcome: 'ok', details: { reason: 'password-changed', sessions: 'all' } });
      return startSession(sessions, account, 'password', req, res);
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/auth/sso/start',
      summary: 'Single sign-on: redirects the browser to the issuer (authorization code flow with PKCE)',
      tag: 'sign-in',
      access: 'public',
      response: { status: 302, description: 'to the issuer\'s authorization endpoint', schema: z.string(), contentType: 'text/plain' },
      errors: [404, 503],
    },
    async ({ req, res }) => {
      if (!sso) throw notFound('single sign-on');
      const attempt = await beginSignIn(sso).catch((err: unknown) => {
        throw new ApiError('unavailable', `the single sign-on issuer cannot be reached: ${err instanceof Error ? err.message : String(err)}`);
      });
      await models.SsoAttempt.create({
        _id: attempt.state,
        codeVerifier: attempt.codeVerifier,
        nonce: attempt.nonce,
        expiresAt: new Date(Date.now() + SSO_ATTEMPT_MINUTES * 60_000),
      });
      // Binds the attempt to this browser (a callback URL sent to someone else fails). Lax: the
      // issuer's redirect back is a navigation from another site, which Strict would not send it with.
      res.cookie(SSO_COOKIE, attempt.state, { httpOnly: true, sameSite: 'lax', path: SSO_COOKIE_PATH, secure: secureCookies(req), maxAge: SSO_ATTEMPT_MINUTES * 60_000 });
      return redirect(res, attempt.url.href);
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/auth/sso/callback',
      summary: 'Single sign-on: where the issuer returns the browser; starts a session and redirects to the console',
      tag: 'sign-in',
      access: 'public',
      query: z.looseObject({ state: z.string().max(200).optional() }),
      response: {
        status: 302,
        description: 'to the console, signed in (the refresh cookie set), or to its sign-in page with `#sso-error=<reason>`',
        schema: z.string(),
        contentType: 'text/plain',
      },
      errors: [404],
    },
    async ({ query, req, res }) => redirect(res, await ssoCallback(query.state, req, res)),
  );

  /** The callback's work; returns where the browser goes next. */
  async function ssoCallback(state: string | undefined, req: Request, res: Response): Promise<string> {
    if (!sso) throw notFound('single sign-on');
    res.clearCookie(SSO_COOKIE, { httpOnly: true, sameSite: 'lax', path: SSO_COOKIE_PATH, secure: secureCookies(req) });
    const attempt = state && cookieOf(req, SSO_COOKIE) === state ? await models.SsoAttempt.findById(state).lean() : null;
    // Taken once: of two callbacks with one state, only the one that deletes it goes on.
    const taken = attempt ? (await models.SsoAttempt.deleteOne({ _id: attempt._id })).deletedCount === 1 : false;
    if (!attempt || !taken || attempt.expiresAt.getTime() < Date.now()) {
      return ssoFailure('state');
    }
    let username: string | null;
    try {
      username = await finishSignIn(sso, req, { state: attempt._id, nonce: attempt.nonce, codeVerifier: attempt.codeVerifier });
    } catch (err) {
      await auditAccountEvent(models, {
        action: 'auth.signed-in',
        username: '(single sign-on)',
        outcome: 'rejected',
        details: { method: 'sso', reason: 'issuer', error: err instanceof Error ? err.message.slice(0, 300) : String(err) },
      });
      return ssoFailure('issuer');
    }
    if (!username) {
      await auditAccountEvent(models, { action: 'auth.signed-in', username: '(single sign-on)', outcome: 'rejected', details: { method: 'sso', reason: 'no-claim', claim: sso.usernameClaim } });
      return ssoFailure('no-claim');
    }
    const account = await models.Account.findById(username).lean<Account>();
    const refusal = account ? await sessionRefusal(models, account) : 'unknown-account';
    if (!account || refusal) {
      await auditAccountEvent(models, { action: 'auth.signed-in', username, account, outcome: 'rejected', details: { method: 'sso', reason: refusal } });
      return ssoFailure(refusal ?? 'unknown-account');
    }
    // The console finds the session through the refresh cookie (POST /api/v1/auth/refresh) as it loads.
    await startSession(sessions, account, 'sso', req, res);
    return CONSOLE;
  }
}

function cookieOf(req: Request, name: string): string | undefined {
  const header = req.header('cookie');
  return header ? parseCookie(header)[name] : undefined;
}
