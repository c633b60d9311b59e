/** Small pieces several pages use. */
import { h } from '../dom.js';
import { ApiFailure, get, token, type Principal } from '../api.js';
import type { JsonSchema } from '../form.js';
import { errorText } from '../errors.js';
import { lang, named, statusText, t } from '../i18n.js';

export interface Org { id: string; name: string; nameZh: string; kind: string; parentId: string | null; path: string[] }

let orgCache: Promise<Map<string, Org>> | null = null;

/** Every organisation the caller may read, by ID (for names instead of IDs). */
export function orgs(): Promise<Map<string, Org>> {
  orgCache ??= get<{ items: Org[] }>('/api/v1/orgs?limit=200')
    .then((page) => new Map(page.items.map((o) => [o.id, o])))
    .catch(() => new Map<string, Org>());
  return orgCache;
}

/** Organisations as choices for a form's organisation pickers: by name, with their kind for the picker's filter. */
export function orgChoices(map: Map<string, Org>): Array<{ value: string; label: string; kind: string; parentId: string | null }> {
  return [...map.values()]
    .filter((o) => (o as Org & { active?: boolean }).active !== false)
    .sort((a, b) => a.path.length - b.path.length || named(a).localeCompare(named(b), 'zh-CN'))
    .map((o) => ({ value: o.id, label: named(o), kind: o.kind, parentId: o.parentId }));
}

const POST_NAMES: Record<string, [zh: string, en: string]> = {
  principalLeader: ['主要负责人', 'principal leader'],
  teamMember: ['班子成员', 'team member'],
  dicSecretary: ['纪委书记', 'DIC secretary'],
  dicMember: ['纪委委员', 'DIC member'],
  unitHead: ['单位负责人', 'unit head'],
  caseOfficer: ['纪检干部', 'case officer'],
  orgDeptHead: ['组织部部长', 'organisation department head'],
  staff: ['工作人员', 'staff'],
};

export function postName(post: string): string {
  const names = POST_NAMES[post];
  return names ? (lang() === 'en' ? names[1] : names[0]) : post;
}

interface PersonOut { id: string; name: string; posts: Array<{ orgId: string; post: string; title?: string }> }
const peopleCache = new Map<string, Promise<PersonOut[]>>();

/** The people holding a post at an organisation, read once per page load. */
export function peopleAt(orgId: string): Promise<PersonOut[]> {
  let people = peopleCache.get(orgId);
  if (!people) {
    people = get<{ items: PersonOut[] }>(`/api/v1/people?orgId=${encodeURIComponent(orgId)}&limit=100`).then((page) => page.items).catch(() => []);
    peopleCache.set(orgId, people);
  }
  return people;
}

const personCache = new Map<string, Promise<string | undefined>>();

/** The names of people by ID (those the caller may see; others keep no name). */
export async function personNames(ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const names = await Promise.all(unique.map((id) => {
    let name = personCache.get(id);
    if (!name) {
      name = get<PersonOut>(`/api/v1/people/${encodeURIComponent(id)}`).then((p) => p.name).catch(() => undefined);
      personCache.set(id, name);
    }
    return name;
  }));
  return new Map(unique.flatMap((id, i) => (names[i] ? [[id, names[i]] as [string, string]] : [])));
}

/** People of an organisation as choices: name and post (朱国庆（主要负责人）). */
export async function peopleChoices(orgId: string): Promise<Array<{ value: string; label: string }>> {
  return (await peopleAt(orgId)).map((p) => {
    const posts = p.posts.filter((x) => x.orgId === orgId).map((x) => x.title ?? postName(x.post));
    return { value: p.id, label: posts.length ? `${p.name}（${posts.join('、')}）` : p.name };
  });
}

/** The case grounds' texts, as the start form of a case carries them (`x-choices` of its grounds). */
export async function groundNames(): Promise<Map<string, string>> {
  const doc = await openApiDoc();
  const body = doc.paths['/api/v1/cases']?.post?.requestBody?.content?.['application/json']?.schema;
  const choices = body?.properties?.grounds?.['x-choices'] ?? [];
  return new Map(choices.map((c) => [c.value, lang() === 'en' ? c.en : c.zh]));
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
  if (err instanceof ApiFailure && err.status === 401) token.clear();
  return h('div', { class: 'error', role: 'alert' }, `${t('error')} — ${errorText(err)}`);
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
