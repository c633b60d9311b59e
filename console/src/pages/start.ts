/**
 * Case officers start rectifications, interviews and cases. Each start form is drawn
 * from the request body in the OpenAPI document, so it follows the API as it changes;
 * organisations and people are picked by name (the schema's `x-picker`), and a started
 * process is shown with a link to its page.
 */
import { h, mount } from '../dom.js';
import { ApiFailure, post, type Principal } from '../api.js';
import { t, type Key } from '../i18n.js';
import { readyToSend, renderForm } from '../form.js';
import { errorText } from '../errors.js';
import { openApiDoc, orgChoices, orgs, peopleChoices } from './shared.js';

const starts: Array<{ path: string; title: Key; id: string }> = [
  { path: '/api/v1/rectifications', title: 'startRectification', id: 'rectification' },
  { path: '/api/v1/interviews', title: 'startInterview', id: 'interview' },
  { path: '/api/v1/cases', title: 'startCase', id: 'case' },
];

export async function startPage(root: HTMLElement, _arg: string, me: Principal): Promise<void> {
  const [doc, orgMap] = await Promise.all([openApiDoc(), orgs()]);
  const hints = { orgs: orgChoices(orgMap), ownOrgId: me.orgId, actsForAll: me.role === 'admin', people: peopleChoices };
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const panel = h('section', { class: 'card' });
  const show = (index: number) => {
    const start = starts[index]!;
    tabs.querySelectorAll('button').forEach((b, i) => {
      b.classList.toggle('current', i === index);
      b.setAttribute('aria-selected', String(i === index));
    });
    const schema = doc.paths[start.path]?.post?.requestBody?.content?.['application/json']?.schema;
    if (!schema) {
      mount(panel, h('p', { class: 'muted' }, `${t('notAvailable')}: POST ${start.path}`));
      return;
    }
    const form = renderForm(schema, hints);
    const message = h('div', { role: 'status', id: 'start-message' });
    const submit = h('button', { type: 'submit' }, t('submit'));
    const el = h('form', { id: `start-${start.id}`, novalidate: true }, h('h2', {}, t(start.title)), form.element, message, submit);
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!readyToSend(form, message)) return;
      submit.disabled = true;
      post<{ processId?: string; id?: string; firstTask?: { dueDate: string }; plan?: { dueDate: string } }>(start.path, form.read())
        .then((res) => {
          const id = res.processId ?? res.id;
          const due = res.plan?.dueDate ?? res.firstTask?.dueDate;
          // The form is done with: a success state, the way to the process, and a fresh form on request.
          mount(panel, h('div', { class: 'success-panel', id: 'started' },
            h('h2', {}, `${t(start.title)} · ${t('started')}`),
            due ? h('p', {}, `${t('firstDue')}：${due}`) : null,
            h('p', {}, id ? h('a', { href: `/console/processes/${encodeURIComponent(id)}`, id: 'started-link' }, t('openProcess')) : null),
            h('button', { type: 'button', class: 'secondary', onclick: () => show(index) }, t('startAnother')),
          ));
        })
        .catch((err: unknown) => {
          message.className = 'error';
          message.textContent = errorText(err);
          if (err instanceof ApiFailure) form.showIssues(err.details);
        })
        .finally(() => {
          submit.disabled = false;
        });
    });
    mount(panel, el);
  };
  // Tabs are buttons, not links: the page-wide link handler (main.ts) navigates on every
  // link into the console, and an href="#" re-rendered this page on the first tab.
  starts.forEach((s, i) => tabs.appendChild(h('button', { type: 'button', role: 'tab', 'data-start': s.id, onclick: () => show(i) }, t(s.title))));
  mount(root, h('h1', {}, t('start')), tabs, panel);
  show(0);
}
