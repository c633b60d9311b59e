/**
 * The forms a user task can be completed with: each task names its form, and the API
 * parses a completion's payload with the form's schema (`parseFormPayload`) before it
 * sends the update, so a wrong payload is refused with the zod issues and nothing
 * changes. The workflows do not import this module (their bundle carries no zod): their
 * update validator checks the form's name (form-names.ts), the task's state, the actor
 * and the process's own rules. Pure: imported by the API and the console.
 */
import { z } from 'zod';
import { obligationForms } from './obligations/forms.js';
import { interviewForms } from './interview/forms.js';
import { caseForms } from './case/forms.js';
import { rectificationForms } from './rectification/forms.js';
import type { FormName as KnownFormName } from './form-names.js';
import { DateInput } from './date-input.js';
import { label, picker } from './form-meta.js';

const Text = z.string().trim().min(1).max(20_000);
const LocalDateString = DateInput;

/** Acknowledge or confirm something, with an optional note. */
export const AcknowledgeForm = z.object({ note: z.string().max(5_000).optional().meta(label('备注', 'Note')) }).strict();

/** Submit a written report (optionally pointing at a stored document). */
export const ReportForm = z
  .object({
    summary: Text.meta(label('报告内容', 'Report')),
    documentId: z.string().min(1).optional().meta({ ...label('文件', 'Document'), ...picker('document') }),
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

// form-names.ts (the workflows' list) names exactly these forms: a form added to one and
// not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameFormNames: Same<FormName, KnownFormName> = true;
void sameFormNames;
export type FormPayload<F extends FormName> = z.output<(typeof forms)[F]>;

export function formSchema(name: string): z.ZodType | undefined {
  return Object.hasOwn(forms, name) ? (forms as Record<string, z.ZodType>)[name] : undefined;
}

export type FormParse =
  | { ok: true; payload: Record<string, unknown> }
  /** `issues`: zod's, for a payload that does not fit; absent for an unknown form. */
  | { ok: false; message: string; issues?: Array<Pick<z.core.$ZodIssue, 'code' | 'path' | 'message'>> };

/**
 * Parses a completion's payload with its task's form: the parsed payload (trimmed, as the
 * schema outputs it) is what the workflow receives and records. The one place a payload
 * meets its form; the API's completion (api/tasks/completion.ts) calls it.
 */
export function parseFormPayload(form: string, payload: unknown): FormParse {
  const schema = formSchema(form);
  if (!schema) return { ok: false, message: `unknown form ${form}` };
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, message: `the payload does not fit the form ${form}`, issues: parsed.error.issues.map(({ code, path, message }) => ({ code, path, message })) };
  }
  return { ok: true, payload: parsed.data as Record<string, unknown> };
}

export { LocalDateString, Text };
