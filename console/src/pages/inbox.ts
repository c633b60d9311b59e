/**
 * The inbox: tasks earliest due first, one row per task naming its process, the
 * organisation it is about, the step and the deadline, with overdue and escalation
 * badges; filters (status, process type, overdue, whose tasks) and pages with totals.
 * The filters live in the URL, so a filtered page can be reloaded and linked.
 */
import { h, mount } from '../dom.js';
import { get, type Principal } from '../api.js';
import { named, t } from '../i18n.js';
import { navigate } from '../nav.js';
import { PROCESS_TYPES, processTypeName } from '../readable.js';
import { dueBadge, orgName, orgs } from './shared.js';

export interface Task {
  id: string; processId: string; processType: string; elementId: string; form: string; title: string; titleZh: string;
  assignee: { orgId: string }; dueDate: string; status: string; overdue: boolean; late: boolean; escalationLevel: number;
  context?: unknown; completedAt?: string; result?: unknown; process?: { title: string; orgId: string };
}

const PAGE_SIZE = 50;

export async function inboxPage(root: HTMLElement, _arg: string, me: Principal): Promise<void> {
  const params = new URLSearchParams(location.search);
  const status = params.get('status') ?? 'open';
  const type = params.get('type') ?? '';
  const overdueOnly = params.get('overdue') === 'true';
  // Staff see their own organisation's tasks first; the whole remit is a choice (a supervision view).
  const staff = me.role !== 'unit';
  const scope = staff && params.get('scope') === 'all' ? 'all' : 'mine';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const dueAfter = params.get('dueAfter') ?? '';
  const dueBefore = params.get('dueBefore') ?? '';

  const query = new URLSearchParams({ status, limit: String(PAGE_SIZE), offset: String(offset) });
  if (type) query.set('processType', type);
  if (overdueOnly) query.set('overdue', 'true');
  if (scope === 'mine') query.set('orgId', me.orgId);
  if (dueAfter) query.set('dueAfter', dueAfter);
  if (dueBefore) query.set('dueBefore', dueBefore);
  const [page, orgMap] = await Promise.all([get<{ items: Task[]; total: number }>(`/api/v1/tasks?${query.toString()}`), orgs()]);

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('offset' in changes)) next.delete('offset');
    navigate(`inbox${next.size ? `?${next.toString()}` : ''}`);
  };

  const statusSelect = h('select', { name: 'status', onchange: (e: Event) => go({ status: (e.target as HTMLSelectElement).value }) },
    (['open', 'completed', 'cancelled'] as const).map((s) => h('option', { value: s, selected: s === status }, t(s))));
  const typeSelect = h('select', { name: 'type', onchange: (e: Event) => go({ type: (e.target as HTMLSelectElement).value }) },
    h('option', { value: '' }, t('all')), PROCESS_TYPES.map((p) => h('option', { value: p, selected: p === type }, processTypeName(p))));
  const overdueBox = h('input', { type: 'checkbox', name: 'overdue', checked: overdueOnly, onchange: (e: Event) => go({ overdue: (e.target as HTMLInputElement).checked ? 'true' : null }) });
  const scopeSelect = staff
    ? h('select', { name: 'scope', onchange: (e: Event) => go({ scope: (e.target as HTMLSelectElement).value === 'all' ? 'all' : null }) },
        h('option', { value: 'mine', selected: scope === 'mine' }, t('ownTasks')),
        h('option', { value: 'all', selected: scope === 'all' }, t('remitTasks')))
    : null;
  const filters = h('div', { class: 'filters', id: 'inbox-filters' },
    h('label', { class: 'filter' }, h('span', {}, t('status')), statusSelect),
    h('label', { class: 'filter' }, h('span', {}, t('processType')), typeSelect),
    scopeSelect ? h('label', { class: 'filter' }, h('span', {}, t('whose')), scopeSelect) : null,
    h('label', { class: 'filter' }, h('span', {}, t('dueFrom')), h('input', { type: 'date', name: 'dueAfter', value: dueAfter, onchange: (e: Event) => go({ dueAfter: (e.target as HTMLInputElement).value }) })),
    h('label', { class: 'filter' }, h('span', {}, t('dueUntil')), h('input', { type: 'date', name: 'dueBefore', value: dueBefore, onchange: (e: Event) => go({ dueBefore: (e.target as HTMLInputElement).value }) })),
    h('label', { class: 'filter check' }, overdueBox, ' ', t('overdueOnly')),
  );

  const last = Math.min(offset + page.items.length, page.total);
  const pager = h('div', { class: 'pager', id: 'inbox-pager' },
    h('span', { class: 'muted', id: 'inbox-total' }, page.total === 0 ? '' : t('rangeOf').replace('{from}', String(offset + 1)).replace('{to}', String(last)).replace('{total}', String(page.total))),
    offset > 0 ? h('button', { type: 'button', class: 'small', id: 'prev-page', onclick: () => go({ offset: String(Math.max(0, offset - PAGE_SIZE)) }) }, t('prev')) : null,
    offset + PAGE_SIZE < page.total ? h('button', { type: 'button', class: 'small', id: 'next-page', onclick: () => go({ offset: String(offset + PAGE_SIZE) }) }, t('next')) : null,
  );

  mount(
    root,
    h('h1', {}, t('inbox')),
    filters,
    page.items.length === 0
      ? h('p', { class: 'muted' }, t('nothing'))
      : h('table', { class: 'list', id: 'inbox' },
          h('thead', {}, h('tr', {}, h('th', {}, t('process')), h('th', {}, t('subjectOrg')), h('th', {}, t('step')), h('th', {}, t('assignee')), h('th', {}, t('due')), h('th', {}, t('status')))),
          h('tbody', {}, page.items.map((task) =>
            h('tr', { 'data-task': task.id, class: task.overdue ? 'overdue-row' : null },
              h('td', { 'data-label': t('process') }, processTypeName(task.processType)),
              h('td', { 'data-label': t('subjectOrg') }, task.process ? orgName(orgMap, task.process.orgId) : ''),
              h('td', { 'data-label': t('step') }, h('a', { href: `/console/tasks/${encodeURIComponent(task.id)}`, title: task.process?.title ?? null }, named(task))),
              h('td', { 'data-label': t('assignee') }, orgName(orgMap, task.assignee.orgId)),
              h('td', { 'data-label': t('due') }, task.dueDate),
              h('td', { 'data-label': t('status') }, dueBadge(task), task.escalationLevel > 0 ? h('span', { class: 'badge overdue escalated' }, `${t('escalationLevel')} ${task.escalationLevel}`) : null),
            ))),
        ),
    pager,
  );
}
