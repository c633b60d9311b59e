/** Making an account, the one way: the admin endpoint and `npm run account:create` (the first admin) both call it. */
import { z } from 'zod';
import { conflict, unprocessable } from '../http/errors.js';
import type { Models } from '../../models/index.js';
import type { Account } from '../../models/account.js';
import type { AuditInput } from '../../activities/audit.js';
import { isDuplicateKey } from '../../models/db.js';
import { findOrg, holdsPostAt } from '../../models/org-queries.js';
import { passwordProblems } from '../../domain/accounts/password-policy.js';
import { Role } from '../auth/tokens.js';
import { hashPassword } from '../auth/passwords.js';
import { passwordPolicy } from '../auth/sessions.js';
import { auditAccountEvent } from '../auth/audit.js';

export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, '3 to 64 characters: lower-case letters, digits, . _ - (starting with a letter or digit)')
  .describe('the username, also what a single sign-on claim names');

export const Password = z.string().min(1).max(256).describe('checked against the policy ACCOUNT-PASSWORD (422 with what is missing)');

export const CreateAccountBody = z.strictObject({
  username: Username,
  role: Role,
  orgId: z.string().min(1).max(100),
  personId: z.string().min(1).max(100).optional().describe('the person signing in, who must hold a post at `orgId`'),
  password: Password.optional().describe('none: the account signs in through single sign-on only, until a password is set'),
});
export type CreateAccountBody = z.infer<typeof CreateAccountBody>;

/** The argon2id hash of a password that meets the policy in force; 422 with what it lacks otherwise. */
export async function checkedHash(models: Models, username: string, password: string): Promise<string> {
  const problems = passwordProblems(password, username, await passwordPolicy(models));
  if (problems.length > 0) throw unprocessable(`the password does not meet the policy ACCOUNT-PASSWORD: it needs ${problems.join('; ')}`, { problems });
  return hashPassword(password);
}

/** Creates the account (422: no such organisation, a person without a post there, a weak password; 409: taken) and audits it. */
export async function createAccount(models: Models, body: CreateAccountBody, actor: AuditInput['actor']): Promise<Account> {
  if (!(await findOrg(models, body.orgId))) throw unprocessable(`organisation ${body.orgId} does not exist`);
  if (body.personId && !(await holdsPostAt(models, body.personId, body.orgId))) {
    throw unprocessable(`person ${body.personId} holds no post at ${body.orgId}`);
  }
  if (await models.Account.exists({ _id: body.username })) throw conflict(`account ${body.username} exists`);
  const passwordHash = body.password === undefined ? undefined : await checkedHash(models, body.username, body.password);
  const now = new Date();
  try {
    await models.Account.create({
      _id: body.username,
      role: body.role,
      orgId: body.orgId,
      ...(body.personId ? { personId: body.personId } : {}),
      ...(passwordHash ? { passwordHash, passwordChangedAt: now } : {}),
      disabled: false,
      failedAttempts: 0,
      sessionsValidFrom: now,
      createdBy: actor.sub ?? actor.kind,
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`account ${body.username} exists`);
    throw err;
  }
  const account = await models.Account.findById(body.username).lean<Account>();
  if (!account) throw new Error(`account ${body.username} vanished after its creation`);
  await auditAccountEvent(models, { action: 'account.created', username: account._id, account, actor, outcome: 'ok', details: { role: account.role, hasPassword: Boolean(passwordHash) } });
  return account;
}
