/** Forms of the accountability case (Art. 14–17) and its disciplinary sub-process. */
import { z } from 'zod';
import { Determination } from '../accountability.js';

// Not imported from domain/forms.ts, which imports this module (an ESM cycle).
const Text = z.string().trim().min(1).max(20_000);

export const CaseEvidenceForm = z.object({ summary: Text, documentId: z.string().min(1).optional() }).strict();

export const CaseDeterminationForm = z.object({ facts: Text, determination: Determination }).strict();

/**
 * Sanctions are plain strings here so that an unknown or disallowed measure reaches the
 * Art. 16 rule of the workflow (422 naming Art. 16) rather than failing the form (400).
 */
export const CaseDecisionForm = z
  .object({
    sanctions: z.array(z.string().min(1).max(100)).max(20),
    reasoning: Text,
    /** Art. 17: organisational handling jointly by the DIC and the department. */
    jointWithDic: z.boolean().optional(),
  })
  .strict();

/** A measure carried out (organisational handling, a talk, a circulation, a transfer). */
export const CaseExecutionForm = z.object({ summary: Text, documentId: z.string().min(1).optional() }).strict();

export const SelfExaminationForm = z.object({ content: Text }).strict();

export const CaseClosureForm = z.object({ summary: Text }).strict();

export const DisciplinaryFileForm = z.object({ caseNumber: z.string().trim().min(1).max(100), note: z.string().max(5_000).optional() }).strict();
export const DisciplinaryInvestigationForm = z.object({ findings: Text }).strict();
export const DisciplinaryDecisionForm = z.object({ sanction: z.string().trim().min(1).max(500), note: z.string().max(5_000).optional() }).strict();

export const caseForms = {
  caseEvidence: CaseEvidenceForm,
  caseDetermination: CaseDeterminationForm,
  caseDecision: CaseDecisionForm,
  caseExecution: CaseExecutionForm,
  selfExamination: SelfExaminationForm,
  caseClosure: CaseClosureForm,
  disciplinaryFile: DisciplinaryFileForm,
  disciplinaryInvestigation: DisciplinaryInvestigationForm,
  disciplinaryDecision: DisciplinaryDecisionForm,
};
