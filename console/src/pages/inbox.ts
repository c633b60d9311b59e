/** A unit's inbox: its tasks, earliest due first, with due and overdue badges. */
import { h, mount } from '../dom.js';
import { get, type Principal } from '../api.js';
import { named, t } from '../i18n.js';
import { dueBadge, orgName, orgs } from './shared.js';

export interface Task {
  id: string; processId: string; processType: string; elementId: string; form: string; title: string; titleZh: string;
  assignee: { orgId: string }; dueDate: string; status: string; overdue: boolean; late: boolean; escalationLevel: number;
  context?: unknown; completedAt?: string; result?: unknown;
}

export async function inboxPage(root: HTMLElement, _arg: string, _me: Principal): Promise<void> {
  const status = new URLSearchParams(location.search).get('status') ?? 'open';
  const [page, orgMap] = await Promise.all([get<{ items: Task[]; total: number }>(`/api/v1/tasks?status=${status}&limit=100`), orgs()]);
  const tabs = h('div', { class: 'tabs' },
    (['open', 'completed'] as const).map((s) => h('a', { href: `/console/inbox?status=${s}`, class: s === status ? 'current' : null }, t(s))));
  mount(
    root,
    h('h1', {}, t('inbox')),
    tabs,
    page.items.length === 0
      ? h('p', { class: 'muted' }, t('nothing'))
      : h('table', { class: 'list', id: 'inbox' },
          h('thead', {}, h('tr', {}, h('th', {}, t('task')), h('th', {}, t('assignee')), h('th', {}, t('due')), h('th', {}, t('status')))),
          h('tbody', {}, page.items.map((task) =>
            h('tr', { 'data-task': task.id, class: task.overdue ? 'overdue-row' : null },
              h('td', {}, h('a', { href: `/console/tasks/${encodeURIComponent(task.id)}` }, named(task))),
              h('td', {}, orgName(orgMap, task.assignee.orgId)),
              h('td', {}, task.dueDate),
              h('td', {}, dueBadge(task), task.escalationLevel > 0 ? h('span', { class: 'badge overdue' }, `${t('escalationLevel')} ${task.escalationLevel}`) : null),
            ))),
        ),
  );
}
