/** Forms of the interview process (Art. 12). */
import { z } from 'zod';
import { label } from '../form-meta.js';

// Not imported from domain/forms.ts, which imports this module (an ESM cycle).
const Text = z.string().trim().min(1).max(20_000);

/** A step that produces a document: its text becomes a version of a stored document. */
export const InterviewDocumentForm = z.object({ content: Text.meta(label('内容', 'Content')) }).strict();

/** The signed endorsement (签字背书): the signer's opinion; the activity signs the current version. */
export const InterviewEndorsementForm = z.object({ opinion: z.string().trim().min(1).max(5_000).meta(label('签字意见', 'Opinion')) }).strict();

/** The CITY-DIC head's rectification demands (Art. 12(2)). */
export const RectificationDemandsForm = z
  .object({
    demands: z.array(z.string().trim().min(1).max(2_000)).min(1).max(100).meta(label('整改要求', 'Demands', { zh: '每行一条', en: 'one per line' })),
    note: z.string().max(5_000).optional().meta(label('备注', 'Note')),
  })
  .strict();

export const interviewForms = {
  interviewDocument: InterviewDocumentForm,
  interviewEndorsement: InterviewEndorsementForm,
  rectificationDemands: RectificationDemandsForm,
};
