/**
 * Event-driven processes have policy entries too, beside the obligation catalogue, in the
 * same versioned collection and API: code → the zod schema its `entry` must satisfy and
 * the version 1 it is seeded with. Pure: the workflow bundle may import it.
 */
import type { z } from 'zod';
import { DEFAULT_RECTIFICATION_POLICY, RectificationFields, RectificationPolicy } from './rectification/policy.js';
import { CasePolicyEntry, CasePolicyFields, DEFAULT_CASE_POLICY_ENTRY } from './case/policy.js';
import { DEFAULT_INTERVIEW_POLICY_ENTRY, InterviewPolicyEntry, InterviewPolicyFields } from './interview/policy.js';
import { DATE_POLICY_CODE, DEFAULT_DATE_POLICY, DateFields, DatePolicyEntry } from './date-input.js';
import { DEFAULT_PASSWORD_POLICY, PasswordPolicyEntry, PasswordPolicyFields } from './accounts/password-policy.js';

interface ProcessPolicyDefinition<S extends z.ZodType> {
  /** The whole entry, `code` included (as stored). */
  schema: S;
  /** The editable fields, without `code` (as an edit sends them). */
  fields: z.ZodType;
  default: z.output<S>;
}

export const PROCESS_POLICIES = {
  'PROCESS-CASE': { schema: CasePolicyEntry, fields: CasePolicyFields, default: DEFAULT_CASE_POLICY_ENTRY },
  'PROCESS-INTERVIEW': { schema: InterviewPolicyEntry, fields: InterviewPolicyFields, default: DEFAULT_INTERVIEW_POLICY_ENTRY },
  'PROCESS-RECTIFICATION': { schema: RectificationPolicy, fields: RectificationFields, default: DEFAULT_RECTIFICATION_POLICY },
  // Not a process: the range of dates the API accepts as input (domain/date-input.ts), versioned and edited the same way.
  [DATE_POLICY_CODE]: { schema: DatePolicyEntry, fields: DateFields, default: DEFAULT_DATE_POLICY },
  // Not a process, but kept and edited the same way (versioned, admins edit): accounts' passwords and sessions.
  'ACCOUNT-PASSWORD': { schema: PasswordPolicyEntry, fields: PasswordPolicyFields, default: DEFAULT_PASSWORD_POLICY },
} satisfies Record<string, ProcessPolicyDefinition<z.ZodType>>;

export type ProcessPolicyCode = keyof typeof PROCESS_POLICIES;
export type ProcessPolicyEntry = { [C in ProcessPolicyCode]: z.output<(typeof PROCESS_POLICIES)[C]['schema']> }[ProcessPolicyCode];

export const PROCESS_POLICY_CODES = Object.keys(PROCESS_POLICIES) as ProcessPolicyCode[];

export function isProcessPolicyCode(code: string): code is ProcessPolicyCode {
  return Object.hasOwn(PROCESS_POLICIES, code);
}
