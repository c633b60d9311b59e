/**
 * Passwords, lockout and sessions of accounts as editable policy (ACCOUNT-PASSWORD, beside the
 * process policies in domain/process-policies.ts): an administrator may tighten them, and every
 * version is kept. The defaults are the usual reading of 等保 2.0 (GB/T 22239-2019, 8.1.4.1
 * 身份鉴别): passwords "complex and changed regularly" read as at least 10 characters of at least 3
 * of the 4 classes; "login-failure handling" read as 5 failures locking the account for 15
 * minutes; "connection timeout, automatic sign-out" read as a session that ends after 2 idle hours
 * and 12 hours in all (docs/decisions.md, "Accounts and sign-in").
 */
import { z } from 'zod';

export const ACCOUNT_PASSWORD_POLICY_CODE = 'ACCOUNT-PASSWORD';

export const passwordPolicyFieldsShape = {
  title: z.string().min(1).max(300),
  titleZh: z.string().min(1).max(300),
  /** Fewest characters a password has (counted as Unicode code points). */
  minLength: z.number().int().min(8).max(128),
  /** Fewest of the four classes (lower-case, upper-case, digits, other characters) a password mixes. */
  minClasses: z.number().int().min(1).max(4),
  /** Failed sign-ins in a row that lock the account. */
  maxFailures: z.number().int().min(1).max(100),
  /** How long a lock lasts. */
  lockoutMinutes: z.number().int().min(1).max(24 * 60),
  /** A refresh token not used for this long is void (the console refreshes about every 15 minutes while in use). */
  idleMinutes: z.number().int().min(15).max(7 * 24 * 60),
  /** A session (a chain of refresh tokens from one sign-in) ends this long after the sign-in, used or not. */
  sessionHours: z.number().int().min(1).max(30 * 24),
  readings: z.array(z.string().min(1)).default([]),
};

export const PasswordPolicyFields = z.object(passwordPolicyFieldsShape);
export const PasswordPolicyEntry = z.object({ code: z.literal(ACCOUNT_PASSWORD_POLICY_CODE), ...passwordPolicyFieldsShape });
export type PasswordPolicyEntry = z.infer<typeof PasswordPolicyEntry>;

export const DEFAULT_PASSWORD_POLICY: PasswordPolicyEntry = {
  code: ACCOUNT_PASSWORD_POLICY_CODE,
  title: 'Account passwords, lockout after failed sign-ins, session lifetime',
  titleZh: '账号口令复杂度、登录失败处理与会话超时',
  minLength: 10,
  minClasses: 3,
  maxFailures: 5,
  lockoutMinutes: 15,
  idleMinutes: 120,
  sessionHours: 12,
  readings: [
    '等保 2.0 8.1.4.1(a) "口令具有复杂度要求": at least 10 characters mixing at least 3 of lower-case letters, upper-case letters, digits and other characters; never the username.',
    '等保 2.0 8.1.4.1(b) "登录失败处理功能": 5 failed sign-ins in a row lock the account for 15 minutes; a successful sign-in or an administrator\'s password reset clears the count.',
    '等保 2.0 8.1.4.1(b) "登录连接超时自动退出": a session ends after 120 minutes without use and 12 hours after its sign-in.',
  ],
};

/** The four classes a password's characters fall into. */
export function characterClasses(password: string): number {
  const classes = new Set<string>();
  for (const ch of password) {
    if (/\p{Ll}/u.test(ch)) classes.add('lower');
    else if (/\p{Lu}/u.test(ch)) classes.add('upper');
    else if (/\p{Nd}/u.test(ch)) classes.add('digit');
    else classes.add('other');
  }
  return classes.size;
}

/** What is wrong with a new password under the policy, in words (empty when it is acceptable). */
export function passwordProblems(password: string, username: string, policy: Pick<PasswordPolicyEntry, 'minLength' | 'minClasses'>): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (characterClasses(password) < policy.minClasses) {
    problems.push(`at least ${policy.minClasses} of: lower-case letters, upper-case letters, digits, other characters`);
  }
  if (username.length > 0 && password.toLowerCase().includes(username.toLowerCase())) problems.push('not containing the username');
  return problems;
}
