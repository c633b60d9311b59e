/**
 * The supervisor's dashboard over their subtree: counts, overdue by organisation as a
 * bar chart, counts by process type and the oldest overdue tasks. Read leniently (the
 * dashboard answer is produced by another feature and may grow).
 */
import { h, mount } from '../dom.js';
import { getOptional, type Principal } from '../api.js';
import { named, t, type Key } from '../i18n.js';
import { barChart } from '../chart.js';
import { orgName, orgs, todayShanghai } from './shared.js';

type Row = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const arrayOf = (o: Row, ...keys: string[]): Row[] => {
  for (const k of keys) if (Array.isArray(o[k])) return o[k] as Row[];
  return [];
};
const countKeys: Array<[string, Key]> = [['openProcesses', 'runningProcesses'], ['openTasks', 'openCount'], ['dueThisWeek', 'dueThisWeek'], ['overdue', 'overdueCount'], ['escalated', 'escalatedCount']];

export async function dashboardPage(root: HTMLElement, _arg: string, _me: Principal): Promise<void> {
  const [data, orgMap] = await Promise.all([getOptional<Row>('/api/v1/dashboard'), orgs()]);
  if (!data) {
    mount(root, h('h1', {}, t('dashboard')), h('p', { class: 'muted' }, `${t('notAvailable')}: GET /api/v1/dashboard`));
    return;
  }
  const byOrg = arrayOf(data, 'byOrg', 'byOrganisation', 'organisations', 'orgs');
  const byType = arrayOf(data, 'byType', 'byProcessType', 'types');
  const oldest = arrayOf(data, 'oldestOverdue', 'oldestOverdueTasks', 'overdueTasks');
  const totals = (typeof data.totals === 'object' && data.totals ? data.totals : data) as Row;
  const total = (k: string) => (k in totals ? num(totals[k]) : byOrg.reduce((s, r) => s + num(r[k]), 0));
  const label = (r: Row) => (str(r.orgId) ? orgName(orgMap, str(r.orgId)) : named(r));

  const chartRows = byOrg.map((r) => ({ label: label(r), value: num(r.overdue) })).sort((a, b) => b.value - a.value).slice(0, 20);
  mount(
    root,
    h('h1', {}, t('dashboard')),
    // Each tile opens the list it counts.
    h('div', { class: 'tiles', id: 'totals' }, countKeys.map(([k, key]) => h('a', { class: `tile ${k}`, 'data-count': k, href: tileLinks()[k] ?? null }, h('strong', {}, String(total(k))), h('span', {}, t(key))))),
    h('section', { class: 'card' }, h('h2', {}, t('overdueByOrg')), chartRows.length ? h('div', { id: 'overdue-chart' }, barChart(chartRows)) : h('p', { class: 'muted' }, t('nothing'))),
    h('div', { class: 'columns' },
      h('section', { class: 'card' }, h('h2', {}, t('processType')), countTable(byType.map((r) => [str(r.processType) || label(r), r])) ),
      h('section', { class: 'card' }, h('h2', {}, t('org')), countTable(byOrg.map((r) => [label(r), r]))),
    ),
    h('section', { class: 'card' }, h('h2', {}, t('oldestOverdue')),
      oldest.length === 0 ? h('p', { class: 'muted' }, t('nothing')) : h('table', { class: 'list', id: 'oldest-overdue' },
        h('thead', {}, h('tr', {}, h('th', {}, t('task')), h('th', {}, t('assignee')), h('th', {}, t('due')))),
        h('tbody', {}, oldest.map((r) => h('tr', {},
          h('td', {}, str(r.processId) ? h('a', { href: `/console/processes/${encodeURIComponent(str(r.processId))}` }, named(r as { title?: string; titleZh?: string }) || str(r.processId)) : named(r as { title?: string })),
          h('td', {}, orgName(orgMap, str(r.orgId) || str(r.assigneeOrgId) || str((r.assignee as Row | undefined)?.orgId))),
          h('td', {}, str(r.dueDate), ' ', h('span', { class: 'badge overdue' }, t('overdue'))),
        )))),
    ),
  );
}

/** Where each count of the dashboard is listed: the process search or the supervision view of the inbox. */
function tileLinks(): Record<string, string> {
  const today = todayShanghai();
  const inAWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
  return {
    openProcesses: '/console/processes?status=running',
    openTasks: '/console/inbox?scope=all',
    dueThisWeek: `/console/processes?status=running&dueAfter=${today}&dueBefore=${inAWeek}&sort=nextDueAt&order=asc`,
    overdue: '/console/inbox?scope=all&overdue=true',
    escalated: '/console/inbox?scope=all&overdue=true',
  };
}

function countTable(rows: Array<[string, Row]>): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, t('nothing'));
  return h('table', { class: 'list counts' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), countKeys.map(([, key]) => h('th', {}, t(key))))),
    h('tbody', {}, rows.map(([name, r]) => h('tr', {}, h('td', {}, name), countKeys.map(([k]) => h('td', { class: k === 'overdue' && num(r[k]) > 0 ? 'hot' : null }, String(num(r[k]))))))),
  );
}
