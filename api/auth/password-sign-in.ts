/**
 * Sign-in with a username and password: the lockout of the policy (ACCOUNT-PASSWORD: 5 failures
 * in a row lock the account for 15 minutes), the same answer and the same time for an unknown
 * username as for a wrong password, and every attempt in the audit log.
 */
import type { Models } from '../../models/index.js';
import type { Account } from '../../models/account.js';
import { ApiError } from '../http/errors.js';
import { auditAccountEvent } from './audit.js';
import { verifyPassword } from './passwords.js';
import { passwordPolicy, sessionRefusal } from './sessions.js';

const WRONG = 'wrong username or password';

/** The account when the password is right and the account may sign in; 401 (and an audit entry) otherwise. */
export async function checkPassword(models: Models, username: string, password: string): Promise<Account> {
  const now = new Date();
  const account = await models.Account.findById(username).lean<Account>();
  const rejected = (reason: string, details: Record<string, unknown> = {}) =>
    auditAccountEvent(models, { action: 'auth.signed-in', username, account, outcome: 'rejected', details: { method: 'password', reason, ...details } });

  // A locked account's password is not even tried: guessing goes on only after the lock.
  if (account?.lockedUntil && account.lockedUntil.getTime() > now.getTime()) {
    await rejected('locked', { lockedUntil: account.lockedUntil.toISOString() });
    throw new ApiError('unauthorized', `the account is locked until ${account.lockedUntil.toISOString()} after too many failed sign-ins`, {
      reason: 'locked',
      lockedUntil: account.lockedUntil.toISOString(),
    });
  }
  if (!(await verifyPassword(account?.passwordHash, password)) || !account) {
    if (account) await countFailure(models, account, now);
    await rejected(account ? 'wrong-password' : 'unknown-account');
    throw new ApiError('unauthorized', WRONG);
  }
  // Said only to someone who knows the password.
  const refusal = await sessionRefusal(models, account);
  if (refusal) {
    await rejected(refusal);
    throw new ApiError('unauthorized', refusal === 'disabled' ? 'the account is disabled' : 'the account\'s person holds no post in its organisation');
  }
  if (account.failedAttempts > 0 || account.lockedUntil) {
    await models.Account.updateOne({ _id: account._id }, { $set: { failedAttempts: 0 }, $unset: { lockedUntil: 1 } });
  }
  return account;
}

/**
 * One more failure; at the policy's limit, the lock. The count is an `$inc` (exact on MongoDB; on
 * FerretDB two racing failures may count once, which delays a lock by a try, never skips it).
 */
async function countFailure(models: Models, account: Account, now: Date): Promise<void> {
  const policy = await passwordPolicy(models);
  const after = await models.Account.findOneAndUpdate({ _id: account._id }, { $inc: { failedAttempts: 1 } }, { new: true }).lean<Account>();
  if (!after || after.failedAttempts < policy.maxFailures) return;
  const lockedUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000);
  await models.Account.updateOne({ _id: account._id }, { $set: { lockedUntil, failedAttempts: 0 } });
  await auditAccountEvent(models, {
    action: 'account.locked',
    username: account._id,
    account,
    actor: { kind: 'system' },
    outcome: 'ok',
    details: { failures: after.failedAttempts, lockedUntil: lockedUntil.toISOString() },
  });
}
