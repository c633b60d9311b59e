/** Small pieces several pages use. */
import { h } from '../dom.js';
import { ApiFailure, get, token, type Principal } from '../api.js';
import type { JsonSchema } from '../form.js';
import { named, statusText, t } from '../i18n.js';

export interface Org { id: string; name: string; nameZh: string; kind: string; parentId: string | null; path: string[] }

let orgCache: Promise<Map<string, Org>> | null = null;

/** Every organisation the caller may read, by ID (for names instead of IDs). */
export function orgs(): Promise<Map<string, Org>> {
  orgCache ??= get<{ items: Org[] }>('/api/v1/orgs?limit=200')
    .then((page) => new Map(page.items.map((o) => [o.id, o])))
    .catch(() => new Map<string, Org>());
  return orgCache;
}

export function orgName(map: Map<string, Org>, id: string): string {
  const org = map.get(id);
  return org ? named(org) : id;
}

export function badge(kind: 'overdue' | 'soon' | 'ok' | 'done' | 'late' | 'status', text: string): HTMLElement {
  return h('span', { class: `badge ${kind}` }, text);
}

export function statusBadge(status: string): HTMLElement {
  const kind = status === 'completed' ? 'done' : status === 'running' || status === 'open' ? 'ok' : 'status';
  return h('span', { class: `badge ${kind}`, 'data-status': status }, statusText(status));
}

/** Today in Shanghai as YYYY-MM-DD (deadlines are Shanghai dates). */
export function todayShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function daysUntil(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${todayShanghai()}T00:00:00Z`)) / 86_400_000);
}

export function dueBadge(task: { dueDate: string; overdue: boolean; status?: string; late?: boolean }): HTMLElement | null {
  if (task.status === 'completed') return task.late ? badge('late', t('late')) : badge('done', t('completed'));
  if (task.overdue) return badge('overdue', t('overdue'));
  if (daysUntil(task.dueDate) <= 3) return badge('soon', t('dueSoon'));
  return null;
}

export function when(iso: string): string {
  return new Date(iso).toLocaleString(document.documentElement.lang, { timeZone: 'Asia/Shanghai', hour12: false });
}

export const isStaff = (me: Principal) => me.role !== 'unit';

export function errorBox(err: unknown): HTMLElement {
  const message = err instanceof ApiFailure ? `${err.status} ${err.code}: ${err.message}` : String(err);
  if (err instanceof ApiFailure && err.status === 401) token.clear();
  return h('div', { class: 'error', role: 'alert' }, `${t('error')} — ${message}`);
}

/** The OpenAPI document, read once: pages build filters and start forms from it. */
let openApi: Promise<OpenApi> | null = null;
export interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema; description?: string }>;
  requestBody?: { content?: { 'application/json'?: { schema?: JsonSchema } } };
}
export interface OpenApi { paths: Record<string, Record<string, OpenApiOperation | undefined> | undefined> }
export function openApiDoc(): Promise<OpenApi> {
  openApi ??= get<OpenApi>('/api/v1/openapi.json');
  return openApi;
}
