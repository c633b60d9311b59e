/**
 * Draws a form from a JSON Schema (a task form from /api/v1/forms/{name}, or a request
 * body from the OpenAPI document) and reads the typed value back: strings, dates,
 * numbers, booleans, enums, arrays of strings and arrays of objects. New forms need no
 * console change; the API validates and its zod issues are shown next to the fields.
 */
import { h } from './dom.js';
import { t } from './i18n.js';

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
  default?: unknown;
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/** Per-field options supplied by a page, e.g. the organisations for an `orgId` field. */
export interface FieldHints {
  choices?: (name: string) => Array<{ value: string; label: string }> | undefined;
}

type Reader = () => unknown;

export interface RenderedForm {
  element: HTMLElement;
  read(): Record<string, unknown>;
  showIssues(issues: unknown): void;
}

export function renderForm(schema: JsonSchema, hints: FieldHints = {}): RenderedForm {
  const root = resolve(schema, schema);
  const container = h('div', { class: 'fields' });
  const read = objectFields(container, root, schema, hints, []);
  return {
    element: container,
    read: () => read() as Record<string, unknown>,
    showIssues(issues) {
      for (const el of container.querySelectorAll('.issue')) el.remove();
      if (!Array.isArray(issues)) return;
      for (const issue of issues as Array<{ path?: unknown[]; message?: string }>) {
        const key = (issue.path ?? []).filter((p, i) => !(i === 0 && p === 'payload')).join('.');
        const field = container.querySelector(`[data-path="${CSS.escape(key)}"]`) ?? container;
        field.appendChild(h('div', { class: 'issue' }, issue.message ?? ''));
      }
    },
  };
}

function resolve(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (s.$ref?.startsWith('#/$defs/')) return resolve(root.$defs?.[s.$ref.slice(8)] ?? {}, root);
  // zod writes `.optional()`/`.nullable()` of some types as anyOf with null
  const nonNull = s.anyOf?.filter((a) => a.type !== 'null');
  if (nonNull?.length === 1) return { ...resolve(nonNull[0]!, root), description: s.description ?? nonNull[0]!.description };
  return s;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return 'enum';
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  return type ?? 'string';
}

function labelOf(name: string, s: JsonSchema, required: boolean): HTMLElement {
  return h('span', { class: 'label' }, s.title ?? name, required ? h('span', { class: 'req' }, ' *') : null, s.description ? h('small', {}, ` ${s.description}`) : null);
}

function objectFields(container: HTMLElement, s: JsonSchema, root: JsonSchema, hints: FieldHints, path: string[]): Reader {
  const readers: Array<[string, Reader]> = [];
  for (const [name, raw] of Object.entries(s.properties ?? {})) {
    const prop = resolve(raw, root);
    if (prop.const !== undefined) {
      readers.push([name, () => prop.const]);
      continue;
    }
    const required = (s.required ?? []).includes(name);
    const fieldPath = [...path, name];
    const wrap = h('label', { class: 'field', 'data-path': fieldPath.join('.'), 'data-field': name });
    wrap.appendChild(labelOf(name, prop, required));
    readers.push([name, field(wrap, name, prop, root, hints, fieldPath, required)]);
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

function field(wrap: HTMLElement, name: string, s: JsonSchema, root: JsonSchema, hints: FieldHints, path: string[], required: boolean): Reader {
  const type = typeOf(s);
  const choices = hints.choices?.(name);
  if (type === 'enum' || choices) {
    const options = choices ?? (s.enum ?? []).map((v) => ({ value: String(v), label: String(v) }));
    const select = h('select', { name }, required ? null : h('option', { value: '' }, '—'), options.map((o) => h('option', { value: o.value }, o.label)));
    wrap.appendChild(select);
    return () => (select.value === '' ? undefined : select.value);
  }
  if (type === 'boolean') {
    const box = h('input', { type: 'checkbox', name });
    if (s.default === true) box.checked = true;
    wrap.appendChild(box);
    return () => box.checked;
  }
  if (type === 'number' || type === 'integer') {
    const input = h('input', { type: 'number', name, step: type === 'integer' ? 1 : 'any' });
    wrap.appendChild(input);
    return () => (input.value === '' ? undefined : Number(input.value));
  }
  if (type === 'array') {
    const items = resolve(s.items ?? {}, root);
    if (typeOf(items) === 'object') return objectList(wrap, items, root, hints, path);
    // A list of strings: one per line.
    const area = h('textarea', { name, rows: 3, placeholder: '…' });
    wrap.appendChild(area);
    return () => {
      const lines = area.value.split('\n').map((l) => l.trim()).filter(Boolean);
      return lines.length === 0 && !required ? undefined : lines;
    };
  }
  if (type === 'object') {
    const inner = h('div', { class: 'nested' });
    wrap.appendChild(inner);
    return objectFields(inner, s, root, hints, path);
  }
  const isDate = s.format === 'date' || s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' || /Date$/.test(name);
  const long = !isDate && s.maxLength !== undefined && s.maxLength > 300;
  const input = long ? h('textarea', { name, rows: 4 }) : h('input', { type: isDate ? 'date' : 'text', name });
  wrap.appendChild(input);
  return () => (input.value.trim() === '' && !required ? undefined : input.value);
}

function objectList(wrap: HTMLElement, items: JsonSchema, root: JsonSchema, hints: FieldHints, path: string[]): Reader {
  const list = h('div', { class: 'list' });
  const rows: Array<{ el: HTMLElement; read: Reader }> = [];
  const addRow = () => {
    const el = h('fieldset', { class: 'row' });
    const read = objectFields(el, items, root, hints, [...path, String(rows.length)]);
    const row = { el, read };
    el.appendChild(
      h('button', { type: 'button', class: 'small', onclick: () => {
        rows.splice(rows.indexOf(row), 1);
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
