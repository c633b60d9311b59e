/**
 * The forms a user task can be completed with: each task names its form, and the
 * owning workflow's update validator parses the payload with the form's schema
 * (so a wrong payload is refused with the zod issues and nothing changes). Pure:
 * imported by workflows, the API and the console alike.
 */
import { z } from 'zod';

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

export const forms = {
  acknowledge: AcknowledgeForm,
  report: ReportForm,
} satisfies Record<string, z.ZodType>;

export type FormName = keyof typeof forms;
export type FormPayload<F extends FormName> = z.output<(typeof forms)[F]>;

/** Registers more forms (each process adds its own); names must be unique. */
const registry = new Map<string, z.ZodType>(Object.entries(forms));

export function registerForms(more: Record<string, z.ZodType>): void {
  for (const [name, schema] of Object.entries(more)) {
    const existing = registry.get(name);
    if (existing && existing !== schema) throw new Error(`form ${name} registered twice`);
    registry.set(name, schema);
  }
}

export function formSchema(name: string): z.ZodType | undefined {
  return registry.get(name);
}

export { LocalDateString, Text };
