/**
 * Draws a form from a JSON Schema (a task form from /api/v1/forms/{name}, or a request
 * body from the OpenAPI document) and reads the typed value back. Everything a person
 * reads comes from the schema's own keywords (domain/form-meta.ts): `title`/`description`
 * in Chinese, `x-en` in English, `x-enum-names` for coded choices, `x-choices` for
 * checklists, `x-picker` for organisations, people, findings and items chosen by name
 * instead of typed as IDs. New forms need no console change.
 */
import { h } from './dom.js';
import { lang, t } from './i18n.js';

interface Bilingual { zh: string; en: string }

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  title?: string;
  pattern?: string;
  format?: string;
  maxLength?: number;
  minItems?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  'x-en'?: { title: string; description?: string };
  'x-enum-names'?: Record<string, Bilingual>;
  'x-choices'?: Array<Bilingual & { value: string; group?: string }>;
  'x-choices-by'?: string;
  'x-choices-in-context'?: string;
  'x-picker'?: 'org' | 'person' | 'finding' | 'item' | 'document' | 'hidden';
  'x-org-kinds'?: string[];
  'x-org-default'?: 'own';
  'x-org-scope'?: 'ownOrParent';
  'x-org-kinds-by'?: { field: string; kinds: Record<string, string[]> };
  'x-person-org'?: string;
}

export interface Choice { value: string; label: string }

/** What a page knows that the schema does not: the organisations, people, findings and items to choose from. */
export interface FormHints {
  orgs?: Array<Choice & { kind: string; parentId: string | null }>;
  /** The caller's own organisation (preselected where the schema says `x-org-default: own`). */
  ownOrgId?: string;
  /** An administrator acts for any organisation: `x-org-scope` does not narrow its choices. */
  actsForAll?: boolean;
  /** The task's assignee organisation (people pickers with `x-person-org: assignee`). */
  assigneeOrgId?: string;
  people?: (orgId: string) => Promise<Choice[]>;
  /** A rectification's findings and items (from the task's context). */
  findings?: Choice[];
  items?: Choice[];
  /** The task's context, for choices the process narrows (`x-choices-in-context`). */
  context?: Record<string, unknown>;
}

type Reader = () => unknown;

interface Issue { path?: unknown[]; code?: string; message?: string }

export interface RenderedForm {
  element: HTMLElement;
  read(): Record<string, unknown>;
  /** Required fields left empty, as issues with Chinese (or English) messages; none: ready to send. */
  missing(): Issue[];
  showIssues(issues: unknown): void;
}

/**
 * Before a form is sent: clears `message`, marks the required fields left empty, and says so in
 * `message`. True when the form may be sent.
 */
export function readyToSend(form: RenderedForm, message: HTMLElement): boolean {
  message.className = '';
  message.textContent = '';
  const missing = form.missing();
  form.showIssues(missing);
  if (missing.length === 0) return true;
  message.className = 'error';
  message.textContent = t('fixIssues');
  return false;
}

/** The field's words in the current language; a schema without them falls back to the field name. */
export function fieldLabel(name: string, s: JsonSchema): string {
  if (lang() === 'en' && s['x-en']) return s['x-en'].title;
  return s.title ?? name;
}

function fieldHelp(s: JsonSchema): string | undefined {
  if (lang() === 'en' && s['x-en']) return s['x-en'].description;
  return s.description;
}

/** The name of a coded value (an enum value or a checklist choice) in the current language. */
export function choiceName(s: JsonSchema, value: string): string {
  const names = s['x-enum-names']?.[value] ?? s['x-choices']?.find((c) => c.value === value);
  return names ? (lang() === 'en' ? names.en : names.zh) : value;
}

interface Form {
  root: JsonSchema;
  hints: FormHints;
  container: HTMLElement;
  /** Readers by path from the root (`subject.orgId`), for fields that depend on another. */
  readers: Map<string, Reader>;
  /** Required fields; an empty list counts as missing only where the schema asks for at least one. */
  requiredReaders: Array<{ path: string; read: Reader; minItems: number }>;
}

export function renderForm(schema: JsonSchema, hints: FormHints = {}): RenderedForm {
  const container = h('div', { class: 'fields' });
  const form: Form = { root: schema, hints, container, readers: new Map(), requiredReaders: [] };
  const read = objectFields(form, container, resolve(schema, schema), []);
  // A mark goes once its field is changed: what is left marked is what still needs doing.
  const clearMark = (e: Event) => {
    const field = (e.target as HTMLElement).closest('[data-path]');
    field?.querySelectorAll(':scope > .issue').forEach((el) => el.remove());
  };
  container.addEventListener('input', clearMark);
  container.addEventListener('change', clearMark);
  return {
    element: container,
    read: () => read() as Record<string, unknown>,
    missing: () =>
      form.requiredReaders
        .filter((r) => {
          const v = r.read();
          return v === undefined || v === '' || (Array.isArray(v) && v.length < r.minItems);
        })
        .map(({ path }) => ({ path: path.split('.'), code: 'required', message: t('required') })),
    showIssues(issues) {
      for (const el of container.querySelectorAll('.issue')) el.remove();
      if (!Array.isArray(issues)) return;
      for (const issue of issues as Issue[]) {
        const key = (issue.path ?? []).filter((p, i) => !(i === 0 && p === 'payload')).join('.');
        const field = container.querySelector<HTMLElement>(`[data-path="${CSS.escape(key)}"]`) ?? container;
        field.appendChild(h('div', { class: 'issue' }, issueText(issue, field.dataset.help)));
      }
    },
  };
}

/** A zod issue in the reader's language: by its code, with the field's own rule for a custom check. */
export function issueText(issue: Issue, help?: string): string {
  const en = lang() === 'en';
  switch (issue.code) {
    case 'required':
    case 'invalid_type':
      return en ? 'required' : '此项必填';
    case 'too_small':
      return en ? 'too short or too few' : '不能为空（或数量不足）';
    case 'too_big':
      return en ? 'too long or too many' : '内容过长（或数量过多）';
    case 'invalid_format':
    case 'invalid_string':
      return en ? 'not in the expected format' : '格式不正确';
    case 'invalid_value':
    case 'invalid_enum_value':
      return en ? 'choose one of the options' : '请从选项中选择';
    case 'unrecognized_keys':
      return en ? 'unexpected field' : '包含多余的字段';
    default:
      // A rule of the form (refine): its Chinese statement is the field's help.
      return en ? (issue.message ?? 'does not fit') : help ? `不符合要求：${help}` : '不符合要求';
  }
}

function resolve(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (s.$ref?.startsWith('#/$defs/')) return { ...resolve(root.$defs?.[s.$ref.slice(8)] ?? {}, root), ...withoutRef(s) };
  // zod writes `.optional()`/`.nullable()` of some types as anyOf with null: the words may sit on either.
  const nonNull = s.anyOf?.filter((a) => a.type !== 'null');
  if (nonNull?.length === 1) {
    const { anyOf: _anyOf, ...outer } = s;
    return { ...resolve(nonNull[0]!, root), ...outer };
  }
  return s;
}

function withoutRef(s: JsonSchema): JsonSchema {
  const { $ref: _ref, ...rest } = s;
  return rest;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return 'enum';
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  return type ?? 'string';
}

let fieldIds = 0;

/** The field's words; the title has an ID that names the field's control, the help describes it. */
function labelOf(name: string, s: JsonSchema, required: boolean): HTMLElement {
  const help = fieldHelp(s);
  const id = `f-${++fieldIds}`;
  return h('span', { class: 'label' },
    h('span', { class: 'title', id }, fieldLabel(name, s)),
    required ? h('span', { class: 'req' }, ' *') : null,
    help ? h('small', { class: 'help', id: `${id}-help` }, help) : null);
}

/** Set on a form's fields by the server (hidden) or not drawable yet (documents: attachments come later). */
const notDrawn = (s: JsonSchema) => s['x-picker'] === 'hidden' || s['x-picker'] === 'document';

function objectFields(form: Form, container: HTMLElement, s: JsonSchema, path: string[], fixed?: { name: string; value: string }): Reader {
  const readers: Array<[string, Reader]> = [];
  for (const [name, raw] of Object.entries(s.properties ?? {})) {
    const prop = resolve(raw, form.root);
    if (prop.const !== undefined) {
      readers.push([name, () => prop.const]);
      continue;
    }
    if (notDrawn(prop)) continue;
    // The row's finding or item, already chosen by the row itself.
    if (fixed?.name === name) {
      readers.push([name, () => fixed.value]);
      continue;
    }
    const required = (s.required ?? []).includes(name);
    const fieldPath = [...path, name];
    const wrap = h('div', { class: 'field', 'data-path': fieldPath.join('.'), 'data-field': name, 'data-help': fieldHelp(prop) ?? null });
    const labelEl = labelOf(name, prop, required);
    wrap.appendChild(labelEl);
    const read = field(form, wrap, name, prop, fieldPath, required);
    // The field's words name and describe its control for assistive technology (the label is a span, not a <label>).
    const control = wrap.querySelector(':scope > input, :scope > select, :scope > textarea, :scope > .radios, :scope > .checklist');
    const titleId = labelEl.querySelector('.title')?.id;
    if (control && titleId) {
      control.setAttribute('aria-labelledby', titleId);
      if (labelEl.querySelector('.help')) control.setAttribute('aria-describedby', `${titleId}-help`);
    }
    readers.push([name, read]);
    form.readers.set(fieldPath.join('.'), read);
    if (required) form.requiredReaders.push({ path: fieldPath.join('.'), read, minItems: prop.minItems ?? 0 });
    container.appendChild(wrap);
  }
  return () => {
    const out: Record<string, unknown> = {};
    for (const [name, read] of readers) {
      const value = read();
      if (value !== undefined) out[name] = value;
    }
    return out;
  };
}

function field(form: Form, wrap: HTMLElement, name: string, s: JsonSchema, path: string[], required: boolean): Reader {
  const type = typeOf(s);
  const picker = s['x-picker'];
  if (picker === 'org') return orgField(form, wrap, name, s, type === 'array');
  if (picker === 'person') return personField(form, wrap, name, s);
  if (picker === 'finding' || picker === 'item') {
    const options = (picker === 'finding' ? form.hints.findings : form.hints.items) ?? [];
    if (type === 'array') return checklist(wrap, name, () => options);
    return select(wrap, name, options, false);
  }
  if (type === 'enum') {
    const options = (s.enum ?? []).map((v) => ({ value: String(v), label: choiceName(s, String(v)) }));
    // Decisions start blank: a small set of choices as radio buttons, none checked.
    return options.length <= 4 ? radios(wrap, path.join('.'), options) : select(wrap, name, options, false);
  }
  if (type === 'boolean') {
    const box = h('input', { type: 'checkbox', name });
    if (s.default === true) box.checked = true;
    wrap.appendChild(h('label', { class: 'check' }, box, ' ', fieldLabel(name, s)));
    wrap.querySelector('.label')?.remove();
    return () => box.checked;
  }
  if (type === 'number' || type === 'integer') {
    const input = h('input', { type: 'number', name, step: type === 'integer' ? 1 : 'any' });
    wrap.appendChild(input);
    return () => (input.value === '' ? undefined : Number(input.value));
  }
  if (type === 'array') {
    const items = resolve(s.items ?? {}, form.root);
    if (typeOf(items) === 'object') return objectList(form, wrap, items, path);
    if (s['x-choices']) return groundsChecklist(form, wrap, name, s);
    // A list of strings: one per line.
    const area = h('textarea', { name, rows: 3 });
    wrap.appendChild(area);
    return () => {
      const lines = area.value.split('\n').map((l) => l.trim()).filter(Boolean);
      return lines.length === 0 && !required ? undefined : lines;
    };
  }
  if (type === 'object') {
    const inner = h('div', { class: 'nested' });
    wrap.appendChild(inner);
    return objectFields(form, inner, s, path);
  }
  const isDate = s.format === 'date' || s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' || /Date$/.test(name);
  // A name or a title is a line; a text that may run to paragraphs is a box.
  const long = !isDate && s.maxLength !== undefined && s.maxLength > 500;
  const input = long ? h('textarea', { name, rows: 3 }) : h('input', { type: isDate ? 'date' : 'text', name });
  wrap.appendChild(input);
  return () => (input.value.trim() === '' ? undefined : input.value);
}

function select(wrap: HTMLElement, name: string, options: Choice[], multiple: boolean, preselect?: string): Reader {
  const el = h('select', { name, multiple, size: multiple ? Math.min(8, Math.max(3, options.length)) : null },
    multiple ? null : h('option', { value: '' }, t('choose')),
    options.map((o) => h('option', { value: o.value, selected: o.value === preselect }, o.label)));
  wrap.appendChild(el);
  if (multiple) return () => {
    const chosen = [...el.selectedOptions].map((o) => o.value);
    return chosen.length ? chosen : undefined;
  };
  return () => (el.value === '' ? undefined : el.value);
}

function radios(wrap: HTMLElement, name: string, options: Choice[]): Reader {
  const group = h('div', { class: 'radios', role: 'radiogroup' },
    options.map((o) => h('label', { class: 'check' }, h('input', { type: 'radio', name, value: o.value }), ' ', o.label)));
  wrap.appendChild(group);
  return () => group.querySelector<HTMLInputElement>('input:checked')?.value;
}

/** How a checklist whose choices depend on another field draws them again, by its field. */
const redraws = new WeakMap<HTMLElement, () => void>();

function checklist(wrap: HTMLElement, name: string, options: () => Choice[]): Reader {
  const list = h('div', { class: 'checklist' });
  const draw = () => list.replaceChildren(...options().map((o) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name, value: o.value }), ' ', o.label)));
  draw();
  wrap.appendChild(list);
  redraws.set(wrap, draw);
  return () => {
    // Nothing ticked is an empty list (no sanctions, when no responsibility was found).
    return [...list.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
  };
}

/** `x-choices` as a checklist; with `x-choices-by`, only the group the named field selects (e.g. the grounds of the chosen side). */
function groundsChecklist(form: Form, wrap: HTMLElement, name: string, s: JsonSchema): Reader {
  const by = s['x-choices-by'];
  const inContext = s['x-choices-in-context'] ? form.hints.context?.[s['x-choices-in-context']] : undefined;
  const allowed = Array.isArray(inContext) ? new Set(inContext.map(String)) : null;
  const options = () => {
    const group = by ? form.readers.get(by)?.() : undefined;
    return (s['x-choices'] ?? [])
      .filter((c) => (!by || c.group === group) && (!allowed || allowed.has(c.value)))
      .map((c) => ({ value: c.value, label: lang() === 'en' ? c.en : c.zh }));
  };
  const read = checklist(wrap, name, options);
  if (by) {
    const hint = h('p', { class: 'muted' }, t('chooseFirst'));
    // Drawn again only when the field it depends on changes, so ticks survive other fields' changes.
    let shownFor: unknown = null;
    const refresh = () => {
      const group = form.readers.get(by)?.();
      if (group === shownFor) return;
      shownFor = group;
      redraws.get(wrap)?.();
      hint.hidden = group !== undefined;
    };
    wrap.appendChild(hint);
    form.container.addEventListener('change', refresh);
    queueMicrotask(refresh);
  }
  return read;
}

function orgField(form: Form, wrap: HTMLElement, name: string, s: JsonSchema, many: boolean): Reader {
  const kinds = s['x-org-kinds'];
  const all = form.hints.orgs ?? [];
  const own = all.find((o) => o.value === form.hints.ownOrgId);
  const near = s['x-org-scope'] === 'ownOrParent' && own && !form.hints.actsForAll ? [own.value, own.parentId] : null;
  const options = all.filter((o) => (!kinds || kinds.includes(o.kind)) && (!near || near.includes(o.value)));
  const read = select(wrap, name, options, many, s['x-org-default'] === 'own' ? form.hints.ownOrgId : undefined);
  const by = s['x-org-kinds-by'];
  if (by) {
    // The kinds follow another field (the side of a case): the choices are narrowed when it changes.
    const el = wrap.querySelector('select')!;
    let shownFor: unknown = null;
    const narrow = () => {
      const value = form.readers.get(by.field)?.();
      if (value === shownFor) return;
      shownFor = value;
      const allowed = typeof value === 'string' ? by.kinds[value] : undefined;
      for (const option of el.options) {
        const kind = options.find((o) => o.value === option.value)?.kind;
        option.hidden = option.value !== '' && allowed !== undefined && (kind === undefined || !allowed.includes(kind));
        if (option.hidden && option.selected) el.value = '';
      }
    };
    form.container.addEventListener('change', narrow);
    queueMicrotask(narrow);
  }
  return read;
}

/** People by name and post, of the organisation the schema names (the assignee, or another field's choice). */
function personField(form: Form, wrap: HTMLElement, name: string, s: JsonSchema): Reader {
  const orgOf = s['x-person-org'] ?? 'assignee';
  const el = h('select', { name }, h('option', { value: '' }, t('choose')));
  wrap.appendChild(el);
  let shownFor: string | undefined;
  const load = () => {
    const orgId = orgOf === 'assignee' ? form.hints.assigneeOrgId : (form.readers.get(orgOf)?.() as string | undefined);
    if (orgId === shownFor) return;
    shownFor = orgId;
    el.replaceChildren(h('option', { value: '' }, orgId ? t('choose') : t('chooseOrgFirst')));
    if (!orgId || !form.hints.people) return;
    void form.hints.people(orgId).then((people) => {
      if (shownFor !== orgId) return;
      el.append(...people.map((p) => h('option', { value: p.value }, p.label)));
      el.dataset.loaded = orgId;
    });
  };
  if (orgOf !== 'assignee') {
    form.container.addEventListener('change', (e) => {
      if ((e.target as HTMLElement) !== el) load();
    });
  }
  queueMicrotask(load);
  return () => (el.value === '' ? undefined : el.value);
}

/**
 * A list of rows. A row keyed by a finding or an item (`x-picker`) is drawn once per finding
 * or item of the task, already named, with nothing to add or remove; other lists grow by hand.
 */
function objectList(form: Form, wrap: HTMLElement, items: JsonSchema, path: string[]): Reader {
  const list = h('div', { class: 'list' });
  const keyed = Object.entries(items.properties ?? {}).find(([, p]) => {
    const picker = resolve(p, form.root)['x-picker'];
    return picker === 'finding' || picker === 'item';
  });
  const rows: Array<{ el: HTMLElement; read: Reader }> = [];
  if (keyed) {
    const [keyName, keySchema] = keyed;
    const picker = resolve(keySchema, form.root)['x-picker'];
    const choices = (picker === 'finding' ? form.hints.findings : form.hints.items) ?? [];
    choices.forEach((choice, index) => {
      const el = h('fieldset', { class: 'row', 'data-row': choice.value }, h('legend', {}, `${index + 1}. ${choice.label}`));
      rows.push({ el, read: objectFields(form, el, items, [...path, String(index)], { name: keyName, value: choice.value }) });
      list.appendChild(el);
    });
    if (choices.length === 0) list.appendChild(h('p', { class: 'muted' }, t('nothing')));
    wrap.appendChild(list);
    return () => rows.map((r) => r.read());
  }
  const addRow = () => {
    const el = h('fieldset', { class: 'row' });
    const before = form.requiredReaders.length;
    const read = objectFields(form, el, items, [...path, String(rows.length)]);
    const rowRequired = form.requiredReaders.slice(before);
    const row = { el, read };
    el.appendChild(
      h('button', { type: 'button', class: 'small', onclick: () => {
        rows.splice(rows.indexOf(row), 1);
        // A removed row's fields are no longer required.
        form.requiredReaders = form.requiredReaders.filter((r) => !rowRequired.includes(r));
        el.remove();
      } }, t('remove')),
    );
    rows.push(row);
    list.appendChild(el);
  };
  addRow();
  wrap.append(list, h('button', { type: 'button', class: 'small add', onclick: addRow }, t('add')));
  return () => rows.map((r) => r.read());
}

/**
 * A submitted answer shown as the form it was given with, read-only: the same labels, the
 * names of coded values, organisations, people, findings and items instead of their IDs.
 */
export function renderAnswer(schema: JsonSchema, value: unknown, names: (picker: string, id: string) => string): HTMLElement {
  const show = (s: JsonSchema, v: unknown, name: string): Node => {
    const r = resolve(s, schema);
    const picker = r['x-picker'];
    if (v === undefined || v === null || v === '') return document.createTextNode('—');
    if (typeof v === 'boolean') return document.createTextNode(v ? t('yes') : t('no'));
    if (typeof v === 'string') return document.createTextNode(picker ? names(picker, v) : r.enum || r['x-choices'] ? choiceName(r, v) : v);
    if (typeof v === 'number') return document.createTextNode(String(v));
    if (Array.isArray(v)) {
      const items = resolve(r.items ?? {}, schema);
      if (typeOf(items) === 'object') return h('div', { class: 'rows' }, v.map((row, i) => h('fieldset', { class: 'row' }, h('legend', {}, String(i + 1)), fields(items, row))));
      return h('ul', {}, v.map((x) => h('li', {}, show(r['x-choices'] ? r : { ...items, 'x-picker': picker ?? items['x-picker'] }, x, name))));
    }
    return fields(r, v);
  };
  const fields = (s: JsonSchema, v: unknown): HTMLElement =>
    h('dl', { class: 'facts answer' }, Object.entries(s.properties ?? {}).flatMap(([name, raw]) => {
      const prop = resolve(raw, schema);
      const fieldValue = (v as Record<string, unknown> | null)?.[name];
      if (prop.const !== undefined || (fieldValue === undefined && notDrawn(prop))) return [];
      if (fieldValue === undefined) return [];
      return [h('dt', {}, fieldLabel(name, prop)), h('dd', { 'data-field': name }, show(prop, fieldValue, name))];
    }));
  return fields(resolve(schema, schema), value);
}
