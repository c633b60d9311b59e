/**
 * What a person reads on a form, kept in the form's own schema as JSON Schema keywords
 * (zod `.meta()`), so that `GET /api/v1/forms/{name}` and the OpenAPI document carry it and
 * the console draws labels, help, choice names and pickers from it with no list of its own.
 *
 * Chinese is the schema's own `title` and `description` (the console is Chinese first);
 * English rides in `x-en` for the console's language switch. Pure and zod-free.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * How the console lets a person choose a value instead of typing an ID:
 * - `org`: an organisation by name, of the kinds in `x-org-kinds`, within the caller's read
 *   scope; `x-org-default: "own"` preselects the caller's own organisation, and
 *   `x-org-scope: "ownOrParent"` offers only it and the organisation it sits under (the
 *   commission and its party committee, as an issuer of feedback).
 * - `person`: a person by name and post, among those holding a post at the organisation
 *   `x-person-org` names: `"assignee"` (the task's assignee) or the path of the
 *   field holding it, from the form's root (`subject.orgId`).
 *   The server checks the person holds a post there.
 * - `finding` / `item`: one of the rectification's findings or plan items from the task's
 *   context; a list of rows keyed by one is drawn as one row per finding or item.
 * - `document`: a stored document (no picker yet: the console leaves the field out).
 * - `hidden`: set by other means (an escalation's proposal, a delegation); not on the form.
 */
export type Picker = 'org' | 'person' | 'finding' | 'item' | 'document' | 'hidden';

export interface FieldMeta {
  title?: string;
  description?: string;
  'x-en'?: { title: string; description?: string };
  'x-enum-names'?: Record<string, Bilingual>;
  /** Choices of a list of strings, drawn as a checklist; `group` is matched against `x-choices-by`. */
  'x-choices'?: Array<Bilingual & { value: string; group?: string }>;
  /** The field (path from the form's root) whose value selects the `group` of `x-choices` offered. */
  'x-choices-by'?: string;
  /** The key of the task's context that lists which of `x-choices` the process allows (e.g. Art. 16's measures for the severity found). */
  'x-choices-in-context'?: string;
  'x-picker'?: Picker;
  'x-org-kinds'?: string[];
  'x-org-default'?: 'own';
  'x-org-scope'?: 'ownOrParent';
  /** The kinds offered by another field's value (path from the form's root): a DIC-side case is about a DIC. */
  'x-org-kinds-by'?: { field: string; kinds: Record<string, string[]> };
  'x-person-org'?: string;
  [key: string]: unknown;
}

/** A field's label (and optional help) in Chinese and English. */
export function label(zh: string, en: string, help?: Bilingual): FieldMeta {
  return {
    title: zh,
    ...(help ? { description: help.zh } : {}),
    'x-en': { title: en, ...(help ? { description: help.en } : {}) },
  };
}

/** The names of an enum's values, for a field whose values are codes. */
export function enumNames(names: Record<string, Bilingual>): FieldMeta {
  return { 'x-enum-names': names };
}

/** An organisation picker of the given kinds; `own`: the caller's own preselected, and only it or the one above it offered. */
export function orgPicker(kinds?: string[], own?: 'own'): FieldMeta {
  return { 'x-picker': 'org', ...(kinds ? { 'x-org-kinds': kinds } : {}), ...(own ? { 'x-org-default': own, 'x-org-scope': 'ownOrParent' } : {}) };
}

/** A person picker among the people holding a post at `orgOf` ("assignee" or a field's path from the form's root). */
export function personPicker(orgOf: string): FieldMeta {
  return { 'x-picker': 'person', 'x-person-org': orgOf };
}

export const picker = (kind: Picker): FieldMeta => ({ 'x-picker': kind });
