/**
 * Deadlines of the interview process (Art. 12) as editable policy (PROCESS-INTERVIEW in
 * domain/process-policies.ts): the Rules give no day counts, so each is a reading
 * (docs/decisions.md, "Interviews and accountability cases"). The API reads the current
 * version and passes it in the input; a process keeps the version it started with.
 */
import { z } from 'zod';
import { DEFAULT_ESCALATION } from '../escalation.js';
import { dueDaysOf, stepDeadlinesOf, type StepDeadlines } from '../step-deadlines.js';
import { stepPolicyFieldsShape } from '../step-policy-fields.js';

export const INTERVIEW_POLICY_CODE = 'PROCESS-INTERVIEW';

export const interviewFieldsShape = stepPolicyFieldsShape;

export const InterviewPolicyFields = z.object(interviewFieldsShape);
export const InterviewPolicyEntry = z.object({ code: z.literal(INTERVIEW_POLICY_CODE), ...interviewFieldsShape });
export type InterviewPolicyEntry = z.infer<typeof InterviewPolicyEntry>;

export const DEFAULT_INTERVIEW_POLICY_ENTRY: InterviewPolicyEntry = {
  code: INTERVIEW_POLICY_CODE,
  articles: ['12'],
  title: 'Interviews: problem interview with signed explanation, talks, city DIC head interview, democratic-life meeting',
  titleZh: '约谈提醒、任前廉政谈话、市纪委负责人约谈、专题民主生活会、诫勉谈话',
  stepDueDays: {
    holdInterview: 15,
    writeExplanation: 7,
    endorseExplanation: 5,
    returnToDic: 5,
    setRectificationDemands: 10,
    holdMeeting: 30,
    submitAnalysis: 15,
    reviewAnalysis: 10,
  },
  defaultDueDays: 10,
  // An interview is itself the response to a problem: remind, then only tell the DIC again
  // when it runs late (no further interview or case is proposed automatically).
  escalation: { ...DEFAULT_ESCALATION, steps: [{ afterDaysOverdue: 7, action: 'notify', articles: ['12'] }] },
  readings: [
    'Day counts of each step are not fixed by the Rules: hold 15, explanation 7, endorsement 5, DIC receipt 5, demands 10, meeting 30, analysis 15, review 10.',
    'A late interview step notifies the DIC again 7 days after due; it proposes no further interview or case.',
  ],
};

/** What a workflow runs under: the entry's numbers and the version they came from. */
export type InterviewPolicy = StepDeadlines;

export function interviewPolicyOf(entry: InterviewPolicyEntry, version: number | string): InterviewPolicy {
  return stepDeadlinesOf(INTERVIEW_POLICY_CODE, entry, version);
}

export const DEFAULT_INTERVIEW_POLICY: InterviewPolicy = interviewPolicyOf(DEFAULT_INTERVIEW_POLICY_ENTRY, 'default');

export const stepDueDays = dueDaysOf;
