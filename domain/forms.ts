/**
 * The forms a user task can be completed with: each task names its form, and the
 * owning workflow's update validator parses the payload with the form's schema
 * (so a wrong payload is refused with the zod issues and nothing changes). Pure:
 * imported by workflows, the API and the console alike.
 */
import { z } from 'zod';
import { obligationForms } from './obligations/forms.js';
import { interviewForms } from './interview/forms.js';
import { caseForms } from './case/forms.js';
import { rectificationForms } from './rectification/forms.js';

const Text = z.string().trim().min(1).max(20_000);
const LocalDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** Acknowledge or confirm something, with an optional note. */
export const AcknowledgeForm = z.object({ note: z.string().max(5_000).optional() }).strict();

/** Submit a written report (optionally pointing at a stored document). */
export const ReportForm = z
  .object({
    summary: Text,
    documentId: z.string().min(1).optional(),
  })
  .strict();

/**
 * Every form of the service. A process adds its forms from its own module
 * (domain/<process>/forms.ts) by spreading them in here, so the API and the console
 * can list them too.
 */
export const forms = {
  acknowledge: AcknowledgeForm,
  report: ReportForm,
  ...obligationForms,
  ...interviewForms,
  ...caseForms,
  ...rectificationForms,
} satisfies Record<string, z.ZodType>;

export type FormName = keyof typeof forms;
export type FormPayload<F extends FormName> = z.output<(typeof forms)[F]>;

export function formSchema(name: string): z.ZodType | undefined {
  return (forms as Record<string, z.ZodType>)[name];
}

export { LocalDateString, Text };
