/** Forms of the accountability case (Art. 14–17) and its disciplinary sub-process. */
import { z } from 'zod';
import { Determination, SANCTION_NAMES, SEVERITY_ZH } from '../accountability.js';
import { enumNames, label, picker } from '../form-meta.js';

// Not imported from domain/forms.ts, which imports this module (an ESM cycle).
const Text = z.string().trim().min(1).max(20_000);

const DocumentId = z.string().min(1).optional().meta({ ...label('文件', 'Document'), ...picker('document') });

export const CaseEvidenceForm = z.object({ summary: Text.meta(label('调查材料', 'Evidence')), documentId: DocumentId }).strict();

export const CaseDeterminationForm = z
  .object({
    facts: Text.meta(label('认定事实', 'Facts')),
    determination: Determination.meta({
      ...label('情节认定', 'Determination'),
      ...enumNames({
        light: { zh: SEVERITY_ZH.light, en: 'Light' },
        heavier: { zh: SEVERITY_ZH.heavier, en: 'Heavier' },
        severe: { zh: SEVERITY_ZH.severe, en: 'Severe' },
        noResponsibility: { zh: '不予追究责任', en: 'No responsibility' },
      }),
    }),
  })
  .strict();

/**
 * Sanctions are plain strings here so that an unknown or disallowed measure reaches the
 * Art. 16 rule of the workflow (422 naming Art. 16) rather than failing the form (400).
 */
export const CaseDecisionForm = z
  .object({
    sanctions: z
      .array(z.string().min(1).max(100))
      .max(20)
      .meta({
        ...label('追责方式', 'Measures', { zh: '第十六条：按认定的情节选择，可单独或合并使用', en: 'Art. 16: as the severity found allows, alone or combined' }),
        'x-choices': Object.entries(SANCTION_NAMES).map(([value, n]) => ({ value, zh: n.nameZh, en: n.name })),
        'x-choices-in-context': 'allowedSanctions',
      }),
    reasoning: Text.meta(label('决定理由', 'Reasoning')),
    /** Art. 17: organisational handling jointly by the DIC and the department. */
    jointWithDic: z.boolean().optional().meta(label('与纪委共同组织处理（第十七条）', 'Jointly with the DIC (Art. 17)')),
  })
  .strict();

/** A measure carried out (organisational handling, a talk, a circulation, a transfer). */
export const CaseExecutionForm = z.object({ summary: Text.meta(label('执行情况', 'What was carried out')), documentId: DocumentId }).strict();

export const SelfExaminationForm = z.object({ content: Text.meta(label('书面检查', 'Written self-examination')) }).strict();

export const CaseClosureForm = z.object({ summary: Text.meta(label('结案情况', 'Closing summary')) }).strict();

const Note = z.string().max(5_000).optional().meta(label('备注', 'Note'));
export const DisciplinaryFileForm = z.object({ caseNumber: z.string().trim().min(1).max(100).meta(label('立案编号', 'Case number')), note: Note }).strict();
export const DisciplinaryInvestigationForm = z.object({ findings: Text.meta(label('审查调查结果', 'Findings')) }).strict();
export const DisciplinaryDecisionForm = z.object({ sanction: z.string().trim().min(1).max(500).meta(label('处分决定', 'Sanction')), note: Note }).strict();

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
