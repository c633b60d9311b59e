/** Forms of the interview process (Art. 12). */
import { z } from 'zod';

// Not imported from domain/forms.ts, which imports this module (an ESM cycle).
const Text = z.string().trim().min(1).max(20_000);

/** A step that produces a document: its text becomes a version of a stored document. */
export const InterviewDocumentForm = z.object({ content: Text }).strict();

/** The signed endorsement (签字背书): the signer's opinion; the activity signs the current version. */
export const InterviewEndorsementForm = z.object({ opinion: z.string().trim().min(1).max(5_000) }).strict();

/** The CITY-DIC head's rectification demands (Art. 12(2)). */
export const RectificationDemandsForm = z
  .object({
    demands: z.array(z.string().trim().min(1).max(2_000)).min(1).max(100),
    note: z.string().max(5_000).optional(),
  })
  .strict();

export const interviewForms = {
  interviewDocument: InterviewDocumentForm,
  interviewEndorsement: InterviewEndorsementForm,
  rectificationDemands: RectificationDemandsForm,
};
