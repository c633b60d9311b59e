/** Audit entries of accounts and sign-ins: who tried, as which account, with what outcome. */
import { randomUUID } from 'node:crypto';
import { appendAuditEntry, type AuditInput } from '../../activities/audit.js';
import type { Models } from '../../models/index.js';
import type { Account } from '../../models/account.js';
import { findOrg } from '../../models/org-queries.js';

/**
 * The actions written, so readers of the log (`GET /api/v1/audit?action=`) have one list:
 * - `auth.signed-in` ok, or rejected with `details.reason` (wrong-password, unknown-account, locked,
 *   disabled, no-post, and for single sign-on also state, issuer, no-claim);
 * - `account.locked` when the failures reach the policy's limit;
 * - `auth.session-revoked` (sign-out, a reused refresh token, an account disabled or its password reset);
 * - `account.created`, `account.password-reset`, `account.disabled`, `account.enabled` by an admin;
 * - `account.password-changed` by the account itself.
 */
export type AccountAction =
  | 'auth.signed-in'
  | 'account.locked'
  | 'auth.session-revoked'
  | 'account.created'
  | 'account.password-reset'
  | 'account.disabled'
  | 'account.enabled'
  | 'account.password-changed';

export async function auditAccountEvent(
  models: Models,
  input: {
    action: AccountAction;
    /** The username as given (an unknown one too). */
    username: string;
    account?: Pick<Account, 'role' | 'orgId' | 'personId'> | null;
    /** Who acted: the account itself unless an admin did. */
    actor?: AuditInput['actor'];
    outcome: 'ok' | 'rejected';
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const { account } = input;
  // Filed under the account's organisation, so its supervisors read it with the rest of their subtree.
  const org = account ? await findOrg(models, account.orgId) : null;
  await appendAuditEntry(models, {
    entryId: randomUUID(),
    at: new Date().toISOString(),
    actor: input.actor ?? {
      kind: 'user',
      sub: input.username,
      ...(account ? { role: account.role, orgId: account.orgId, ...(account.personId ? { personId: account.personId } : {}) } : {}),
    },
    action: input.action,
    target: { kind: 'account', id: input.username },
    ...(account ? { orgId: account.orgId } : {}),
    ...(org ? { orgPath: [...org.path] } : {}),
    outcome: input.outcome,
    ...(input.details ? { details: input.details } : {}),
  });
}
