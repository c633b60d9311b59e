/**
 * The names of every task form, without their zod schemas: the workflows' update
 * validator checks that a task's form is known with this list, while the payload itself
 * is parsed by the API with the schema (domain/forms.ts, `parseFormPayload`) before the
 * update is sent. domain/forms.ts fails to type-check if this list and its `forms` differ.
 */
export const FORM_NAMES = [
  'acknowledge',
  'report',
  'obligationRecord',
  'obligationAcceptance',
  'interviewDocument',
  'interviewEndorsement',
  'rectificationDemands',
  'caseEvidence',
  'caseDetermination',
  'caseDecision',
  'caseExecution',
  'selfExamination',
  'caseClosure',
  'disciplinaryFile',
  'disciplinaryInvestigation',
  'disciplinaryDecision',
  'rectificationPlan',
  'rectificationReview',
  'rectificationProgress',
  'rectificationClosure',
] as const;

export type FormName = (typeof FORM_NAMES)[number];

const known: ReadonlySet<string> = new Set(FORM_NAMES);

export function isFormName(name: string): name is FormName {
  return known.has(name);
}
