/**
 * Deadlines of an accountability case (Art. 14–17) and its disciplinary sub-process as
 * editable policy (PROCESS-CASE in domain/process-policies.ts): the Rules give no day
 * counts, so each is a reading (docs/decisions.md, "Interviews and accountability cases").
 * The Art. 16 table itself stays the domain's DEFAULT_SANCTION_POLICY. A case keeps the
 * version it started with.
 */
import { z } from 'zod';
import { DEFAULT_SANCTION_POLICY, type SanctionPolicy } from '../accountability.js';
import { DEFAULT_ESCALATION } from '../escalation.js';
import { dueDaysOf, stepDeadlinesOf, type StepDeadlines } from '../step-deadlines.js';
import { stepPolicyFieldsShape } from '../step-policy-fields.js';

export const CASE_POLICY_CODE = 'PROCESS-CASE';

export const caseFieldsShape = stepPolicyFieldsShape;

export const CasePolicyFields = z.object(caseFieldsShape);
export const CasePolicyEntry = z.object({ code: z.literal(CASE_POLICY_CODE), ...caseFieldsShape });
export type CasePolicyEntry = z.infer<typeof CasePolicyEntry>;

export const DEFAULT_CASE_POLICY_ENTRY: CasePolicyEntry = {
  code: CASE_POLICY_CODE,
  articles: ['14', '15', '16', '17'],
  title: 'Accountability case: fact-finding, determination, decision, routing, execution, closure',
  titleZh: '责任追究：调查、认定、决定、分送执行、结案',
  stepDueDays: {
    submitEvidence: 15,
    determine: 30,
    decide: 15,
    orgHandling: 30,
    writtenSelfExamination: 15,
    criticismEducationTalk: 15,
    circulation: 10,
    judicialTransfer: 10,
    closeCase: 10,
    fileCase: 7,
    investigate: 60,
    decideSanction: 30,
  },
  defaultDueDays: 15,
  // A case's own steps are not escalated into further cases; late steps notify the DIC again.
  escalation: { ...DEFAULT_ESCALATION, steps: [{ afterDaysOverdue: 7, action: 'notify', articles: ['17'] }] },
  readings: [
    'Day counts of each step are not fixed by the Rules: evidence 15, determination 30, decision 15, organisational handling 30, written self-examination 15, closure 10; disciplinary case: file 7, investigate 60, decide 30.',
    'A late case step notifies the DIC again 7 days after due; it proposes nothing further.',
  ],
};

export interface CasePolicy extends StepDeadlines {
  sanctions: SanctionPolicy;
}

export function casePolicyOf(entry: CasePolicyEntry, version: number | string, sanctions: SanctionPolicy = DEFAULT_SANCTION_POLICY): CasePolicy {
  return { ...stepDeadlinesOf(CASE_POLICY_CODE, entry, version), sanctions };
}

export const DEFAULT_CASE_POLICY: CasePolicy = casePolicyOf(DEFAULT_CASE_POLICY_ENTRY, 'default');

export const caseStepDueDays = dueDaysOf;
