/**
 * Sessions after a sign-in (password or single sign-on): a short-lived access token (the same
 * bearer JWT every endpoint checks, 15 minutes) in the answer's body, and a refresh token in an
 * httpOnly, SameSite=Strict cookie limited to `/api/v1/auth`, which scripts cannot read and no
 * other site can make the browser send.
 *
 * Rotation: each refresh token is used once, for an access token and the next refresh token of
 * the same session. A refresh token used a second time means that two parties hold the session
 * (a stolen cookie, or a replay): the whole session is revoked and both must sign in again
 * (RFC 9700, 4.14.2). Revoking a session, disabling the account or resetting its password voids
 * every refresh token of it at once; an access token already issued lives out its 15 minutes.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { parseCookie } from 'cookie';
import { z } from 'zod';
import type { Models } from '../../models/index.js';
import type { Account, Session } from '../../models/account.js';
import { insertOnce } from '../../models/db.js';
import { holdsPostAt } from '../../models/org-queries.js';
import { currentProcessPolicy } from '../../models/policy.js';
import { ACCOUNT_PASSWORD_POLICY_CODE, DEFAULT_PASSWORD_POLICY, type PasswordPolicyEntry } from '../../domain/accounts/password-policy.js';
import { ApiError } from '../http/errors.js';
import type { Principal } from '../http/endpoint.js';
import { Role, signToken, type TokenScope } from './tokens.js';
import { auditAccountEvent } from './audit.js';

export const ACCESS_TOKEN_MINUTES = 15;
export const REFRESH_COOKIE = 'tr_refresh';
/** The cookie goes only to the endpoints that use it (refresh, sign-out), never to the rest of the API. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

export interface SessionDeps {
  models: Models;
  secret: string;
  scope: TokenScope;
}

export const SessionAnswer = z.object({
  accessToken: z.string().describe('bearer JWT for `Authorization: Bearer …`'),
  tokenType: z.literal('Bearer'),
  expiresAt: z.string().describe('when the access token expires (ISO instant); refresh before then'),
  principal: z.object({ sub: z.string(), role: Role, orgId: z.string(), personId: z.string().optional() }),
});
export type SessionAnswer = z.infer<typeof SessionAnswer>;

/** The policy in force (its seeded default when none is stored yet: reading it must not write). */
export async function passwordPolicy(models: Models): Promise<PasswordPolicyEntry> {
  return (await currentProcessPolicy(models, ACCOUNT_PASSWORD_POLICY_CODE))?.entry ?? DEFAULT_PASSWORD_POLICY;
}

/** Who the account signs in as. */
export function principalOf(account: Pick<Account, '_id' | 'role' | 'orgId' | 'personId'>): Principal {
  return { sub: account._id, role: account.role, orgId: account.orgId, ...(account.personId ? { personId: account.personId } : {}) };
}

/**
 * Why the account may not have a session now, or null: disabled, or its person no longer holds a
 * post in its organisation (the access token would be refused on every request anyway).
 */
export async function sessionRefusal(models: Models, account: Account): Promise<'disabled' | 'no-post' | null> {
  if (account.disabled) return 'disabled';
  if (account.personId && !(await holdsPostAt(models, account.personId, account.orgId))) return 'no-post';
  return null;
}

function accessAnswer(deps: SessionDeps, account: Account): SessionAnswer {
  const principal = principalOf(account);
  return {
    accessToken: signToken(deps.secret, principal, `${ACCESS_TOKEN_MINUTES}m`, deps.scope),
    tokenType: 'Bearer',
    // A second early, so a client that refreshes at this instant is never late.
    expiresAt: new Date(Date.now() + ACCESS_TOKEN_MINUTES * 60_000 - 1_000).toISOString(),
    principal: { sub: principal.sub, role: principal.role, orgId: principal.orgId, ...(principal.personId ? { personId: principal.personId } : {}) },
  };
}

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Starts a session for an account that has just proved who it is; sets the refresh cookie. */
export async function startSession(deps: SessionDeps, account: Account, method: Session['method'], req: Request, res: Response): Promise<SessionAnswer> {
  const policy = await passwordPolicy(deps.models);
  const now = new Date();
  const session = {
    _id: randomUUID(),
    username: account._id,
    method,
    createdAt: now,
    expiresAt: new Date(now.getTime() + policy.sessionHours * 3_600_000),
  };
  await deps.models.Session.create(session);
  await issueRefreshToken(deps, session, policy, req, res);
  await auditAccountEvent(deps.models, { action: 'auth.signed-in', username: account._id, account, outcome: 'ok', details: { method, sessionId: session._id } });
  return accessAnswer(deps, account);
}

async function issueRefreshToken(deps: SessionDeps, session: Pick<Session, '_id' | 'expiresAt'>, policy: PasswordPolicyEntry, req: Request, res: Response): Promise<void> {
  const value = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(Math.min(now + policy.idleMinutes * 60_000, session.expiresAt.getTime()));
  await deps.models.RefreshToken.create({ _id: hashOf(value), sessionId: session._id, issuedAt: new Date(now), expiresAt });
  res.cookie(REFRESH_COOKIE, value, { ...cookieOptions(req), expires: expiresAt });
}

/**
 * Whether a cookie is `Secure`: always, except over plain HTTP to this host's loopback (the run
 * command), where a browser would drop it. Not from `req.protocol`, which behind a TLS proxy says http.
 */
export function secureCookies(req: Request): boolean {
  return req.protocol === 'https' || !['localhost', '127.0.0.1', '::1', '[::1]'].includes(req.hostname);
}

function cookieOptions(req: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, secure: secureCookies(req) };
}

function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, cookieOptions(req));
}

function refreshTokenOf(req: Request): string | undefined {
  const header = req.header('cookie');
  return header ? parseCookie(header)[REFRESH_COOKIE] : undefined;
}

/** Why the refresh did not happen; the cookie is cleared, and the console signs in again. */
function refused(req: Request, res: Response, message: string): ApiError {
  clearRefreshCookie(req, res);
  return new ApiError('unauthorized', message);
}

/** Uses the cookie's refresh token once: a new access token and the session's next refresh token. */
export async function refreshSession(deps: SessionDeps, req: Request, res: Response): Promise<SessionAnswer> {
  const { models } = deps;
  const value = refreshTokenOf(req);
  if (!value) throw refused(req, res, 'no session: sign in');
  const hash = hashOf(value);
  const token = await models.RefreshToken.findById(hash).lean<{ _id: string; sessionId: string; expiresAt: Date }>();
  if (!token) throw refused(req, res, 'unknown refresh token: sign in');
  const session = await models.Session.findById(token.sessionId).lean<Session>();
  if (!session || session.revokedAt) throw refused(req, res, 'the session has ended: sign in');
  if (token.expiresAt.getTime() <= Date.now()) throw refused(req, res, 'the session has expired: sign in');
  const account = await models.Account.findById(session.username).lean<Account>();
  if (!account || account.sessionsValidFrom.getTime() > session.createdAt.getTime()) {
    // Disabling or a password reset voided it already (and said so in the audit log): marked here, quietly.
    await models.Session.updateOne({ _id: session._id }, { $set: { revokedAt: new Date(), revokedReason: 'account-changed' } });
    throw refused(req, res, 'the session has been revoked: sign in');
  }
  const refusal = await sessionRefusal(models, account);
  if (refusal) {
    await revokeSession(models, session, refusal, account);
    throw refused(req, res, refusal === 'disabled' ? 'the account is disabled' : 'the account\'s person holds no post in its organisation');
  }
  // The use is claimed by an insert, which only one of two racing requests can win.
  if (!(await insertOnce(models.conn.collection('refresh_token_uses'), { _id: hash, sessionId: session._id, at: new Date() }))) {
    await revokeSession(models, session, 'refresh-token-reused', account);
    throw refused(req, res, 'this refresh token was used before: the session is revoked, sign in again');
  }
  await issueRefreshToken(deps, session, await passwordPolicy(models), req, res);
  return accessAnswer(deps, account);
}

/** Sign-out: revokes the cookie's session (if any) and clears the cookie. Never fails for want of a session. */
export async function endSession(deps: SessionDeps, req: Request, res: Response): Promise<void> {
  const value = refreshTokenOf(req);
  clearRefreshCookie(req, res);
  if (!value) return;
  const token = await deps.models.RefreshToken.findById(hashOf(value)).lean<{ sessionId: string }>();
  const session = token ? await deps.models.Session.findById(token.sessionId).lean<Session>() : null;
  if (!session || session.revokedAt) return;
  await revokeSession(deps.models, session, 'signed-out', await deps.models.Account.findById(session.username).lean<Account>());
}

/** Marks the session revoked (its refresh tokens then fail) and says so in the audit log. */
export async function revokeSession(models: Models, session: Pick<Session, '_id' | 'username'>, reason: string, account: Account | null): Promise<void> {
  await models.Session.updateOne({ _id: session._id }, { $set: { revokedAt: new Date(), revokedReason: reason } });
  await auditAccountEvent(models, { action: 'auth.session-revoked', username: session.username, account, outcome: 'ok', details: { sessionId: session._id, reason } });
}
