/**
 * Accounts, for admins: create one for a person (or a unit), reset its password, disable and
 * enable it. Disabling or a reset ends every session of the account (docs/accounts.md).
 */
import { z } from 'zod';
import type { UpdateQuery } from 'mongoose';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { notFound } from '../http/errors.js';
import type { Account } from '../../models/account.js';
import { actorOf, Role } from '../auth/tokens.js';
import { auditAccountEvent, type AccountAction } from '../auth/audit.js';
import { checkedHash, createAccount, CreateAccountBody, Password, Username } from './create.js';

const AccountView = z.object({
  username: z.string(),
  role: Role,
  orgId: z.string(),
  personId: z.string().optional(),
  disabled: z.boolean(),
  hasPassword: z.boolean(),
  lockedUntil: z.string().optional().describe('present while the account is locked after failed sign-ins'),
  passwordChangedAt: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.string().optional(),
});
type AccountView = z.infer<typeof AccountView>;

const UsernameParams = z.object({ username: Username });

function viewOf(account: Account): AccountView {
  const locked = account.lockedUntil && account.lockedUntil.getTime() > Date.now();
  return {
    username: account._id,
    role: account.role,
    orgId: account.orgId,
    ...(account.personId ? { personId: account.personId } : {}),
    disabled: account.disabled,
    hasPassword: Boolean(account.passwordHash),
    ...(locked ? { lockedUntil: account.lockedUntil!.toISOString() } : {}),
    ...(account.passwordChangedAt ? { passwordChangedAt: account.passwordChangedAt.toISOString() } : {}),
    createdBy: account.createdBy,
    ...(account.createdAt ? { createdAt: new Date(account.createdAt).toISOString() } : {}),
  };
}

export function accountEndpoints(api: Endpoints, { models }: AppDeps): void {
  const load = async (username: string): Promise<Account> => {
    const account = await models.Account.findById(username).lean<Account>();
    if (!account) throw notFound(`account ${username}`);
    return account;
  };
  const audit = (principal: Principal, action: AccountAction, account: Account, details?: Record<string, unknown>) =>
    auditAccountEvent(models, { action, username: account._id, account, actor: { kind: 'user', ...actorOf(principal) }, outcome: 'ok', ...(details ? { details } : {}) });
  /** An admin's change to an existing account: written, read back, audited (with the sessions it ends), shown. */
  const change = async (principal: Principal, username: string, update: UpdateQuery<Account>, action: AccountAction, revoked?: 'password-reset' | 'disabled') => {
    await load(username);
    await models.Account.updateOne({ _id: username }, update);
    const account = await load(username);
    await audit(principal, action, account);
    if (revoked) await audit(principal, 'auth.session-revoked', account, { reason: revoked, sessions: 'all' });
    return viewOf(account);
  };

  api.add(
    {
      method: 'get',
      path: '/api/v1/accounts',
      summary: 'Every account, by username',
      tag: 'accounts',
      access: 'authenticated',
      roles: ['admin'],
      response: { status: 200, description: 'the accounts', schema: z.object({ items: z.array(AccountView) }) },
      errors: [403],
    },
    async () => ({ items: (await models.Account.find({}).sort({ _id: 1 }).lean<Account[]>()).map(viewOf) }),
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/accounts',
      summary: 'Create an account: its role and organisation, the person signing in, and a first password',
      tag: 'accounts',
      access: 'authenticated',
      roles: ['admin'],
      body: CreateAccountBody,
      response: { status: 201, description: 'the account', schema: AccountView },
      errors: [403, 409, 422],
    },
    async ({ body, principal }) => viewOf(await createAccount(models, body, { kind: 'user', ...actorOf(principal) })),
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/accounts/{username}',
      summary: 'One account',
      tag: 'accounts',
      access: 'authenticated',
      roles: ['admin'],
      params: UsernameParams,
      response: { status: 200, description: 'the account', schema: AccountView },
      errors: [403, 404],
    },
    async ({ params }) => viewOf(await load(params.username)),
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/accounts/{username}/password',
      summary: 'Reset the password: the new one is set, a lock lifted, and every session of the account ended',
      tag: 'accounts',
      access: 'authenticated',
      roles: ['admin'],
      params: UsernameParams,
      body: z.strictObject({ password: Password }),
      response: { status: 200, description: 'the account', schema: AccountView },
      errors: [403, 404, 422],
    },
    async ({ params, body, principal }) => {
      await load(params.username);
      const passwordHash = await checkedHash(models, params.username, body.password);
      const now = new Date();
      const update = { $set: { passwordHash, passwordChangedAt: now, failedAttempts: 0, sessionsValidFrom: now }, $unset: { lockedUntil: 1 } };
      return change(principal, params.username, update, 'account.password-reset', 'password-reset');
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/accounts/{username}/disable',
      summary: 'Disable the account: no sign-in, and every session of it ended',
      tag: 'accounts',
      access: 'authenticated',
      roles: ['admin'],
      params: UsernameParams,
      response: { status: 200, description: 'the account', schema: AccountView },
      errors: [403, 404],
    },
    async ({ params, principal }) => change(principal, params.username, { $set: { disabled: true, sessionsValidFrom: new Date() } }, 'account.disabled', 'disabled'),
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/accounts/{username}/enable',
      summary: 'Enable a disabled account (its old sessions stay ended)',
      tag: 'accounts',
      access: 'authenticated',
      roles: ['admin'],
      params: UsernameParams,
      response: { status: 200, description: 'the account', schema: AccountView },
      errors: [403, 404],
    },
    async ({ params, principal }) => change(principal, params.username, { $set: { disabled: false } }, 'account.enabled'),
  );
}
