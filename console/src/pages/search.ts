/**
 * Process search. The filters are the search endpoint's query parameters as the OpenAPI
 * document lists them, so new filters appear without a console change.
 */
import { h, mount } from '../dom.js';
import { get, type Principal } from '../api.js';
import { named, t } from '../i18n.js';
import { choiceName, fieldLabel } from '../form.js';
import { processTypeName } from '../readable.js';
import { openApiDoc, orgChoices, orgName, orgs, statusBadge } from './shared.js';

interface ProcessRow { processId: string; processType: string; title?: string; titleZh?: string; orgId: string; status: string; overdue?: boolean; nextDueAt?: string; startedAt?: string }

export async function searchPage(root: HTMLElement, _arg: string, _me: Principal): Promise<void> {
  const [doc, orgMap] = await Promise.all([openApiDoc(), orgs()]);
  const op = doc.paths['/api/v1/processes']?.get;
  if (!op) {
    mount(root, h('h1', {}, t('search')), h('p', { class: 'muted' }, `${t('notAvailable')}: GET /api/v1/processes`));
    return;
  }
  const params = new URLSearchParams(location.search);
  const filters = (op.parameters ?? []).filter((p) => p.in === 'query' && p.name !== 'limit' && p.name !== 'offset');
  const form = h('form', { class: 'filters', id: 'search-form' },
    filters.map((p) => {
      const s = p.schema ?? {};
      // Choices by name: organisations for an organisation picker, named codes (a free-string parameter may name its usual values).
      const choices = s['x-picker'] === 'org'
        ? orgChoices(orgMap)
        : (s.enum?.map(String) ?? Object.keys(s['x-enum-names'] ?? {})).map((v) => ({ value: v, label: choiceName(s, v) }));
      const value = params.get(p.name) ?? (typeof s.default === 'string' ? s.default : '');
      const input = choices.length
        ? h('select', { name: p.name }, s.default === undefined ? h('option', { value: '' }, t('all')) : null, choices.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)))
        : h('input', { name: p.name, value, type: /^(due|started)(After|Before)$|Date$/.test(p.name) ? 'date' : 'text' });
      return h('label', { class: 'filter' }, h('span', {}, fieldLabel(p.name, s)), input);
    }),
    h('button', { type: 'submit' }, t('filter')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v !== '') next.set(k, v);
    history.pushState(null, '', `/console/processes?${next.toString()}`);
    void searchPage(root, '', _me);
  });
  const limit = 25;
  const offset = Number(params.get('offset') ?? 0);
  const query = new URLSearchParams(params);
  query.set('limit', String(limit));
  query.set('offset', String(offset));
  const page = await get<{ items: ProcessRow[]; total: number }>(`/api/v1/processes?${query.toString()}`);
  const pageLink = (to: number, key: 'prev' | 'next') => {
    const p = new URLSearchParams(params);
    p.set('offset', String(to));
    return h('a', { href: `/console/processes?${p.toString()}` }, t(key));
  };
  mount(
    root,
    h('h1', {}, t('search')),
    form,
    h('p', { class: 'muted' }, `${t('total')} ${page.total}`),
    h('table', { class: 'list', id: 'results' },
      h('thead', {}, h('tr', {}, h('th', {}, t('title')), h('th', {}, t('processType')), h('th', {}, t('org')), h('th', {}, t('status')), h('th', {}, t('due')))),
      h('tbody', {}, page.items.map((p) => h('tr', { 'data-process': p.processId },
        h('td', {}, h('a', { href: `/console/processes/${encodeURIComponent(p.processId)}` }, named(p) || p.processId)),
        h('td', {}, processTypeName(p.processType)),
        h('td', {}, orgName(orgMap, p.orgId)),
        h('td', {}, statusBadge(p.status), p.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null),
        h('td', {}, p.nextDueAt ? p.nextDueAt.slice(0, 10) : ''),
      ))),
    ),
    h('div', { class: 'pager' }, offset > 0 ? pageLink(Math.max(0, offset - limit), 'prev') : null, offset + limit < page.total ? pageLink(offset + limit, 'next') : null),
  );
}
