/**
 * Case officers start rectifications, interviews and cases. Each start form is drawn
 * from the request body in the OpenAPI document, so it follows the API as it changes;
 * fields naming an organisation get a choice of organisations.
 */
import { h, mount } from '../dom.js';
import { ApiFailure, post, type Principal } from '../api.js';
import { named, t, type Key } from '../i18n.js';
import { renderForm } from '../form.js';
import { openApiDoc, orgs } from './shared.js';

const starts: Array<{ path: string; title: Key; id: string }> = [
  { path: '/api/v1/rectifications', title: 'startRectification', id: 'rectification' },
  { path: '/api/v1/interviews', title: 'startInterview', id: 'interview' },
  { path: '/api/v1/cases', title: 'startCase', id: 'case' },
];

export async function startPage(root: HTMLElement, _arg: string, _me: Principal): Promise<void> {
  const [doc, orgMap] = await Promise.all([openApiDoc(), orgs()]);
  const orgChoices = [...orgMap.values()].map((o) => ({ value: o.id, label: `${named(o)} (${o.id})` }));
  const choices = (name: string) => (/org(Id)?$|OrgId$/i.test(name) ? orgChoices : undefined);
  const tabs = h('div', { class: 'tabs' });
  const panel = h('section', { class: 'card' });
  const show = (index: number) => {
    const start = starts[index]!;
    tabs.querySelectorAll('a').forEach((a, i) => a.classList.toggle('current', i === index));
    const schema = doc.paths[start.path]?.post?.requestBody?.content?.['application/json']?.schema;
    if (!schema) {
      mount(panel, h('p', { class: 'muted' }, `${t('notAvailable')}: POST ${start.path}`));
      return;
    }
    const form = renderForm(schema, { choices });
    const message = h('div', { role: 'status', id: 'start-message' });
    const submit = h('button', { type: 'submit' }, t('submit'));
    const el = h('form', { id: `start-${start.id}` }, h('h2', {}, t(start.title)), form.element, message, submit);
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      submit.disabled = true;
      post<{ processId?: string; id?: string }>(start.path, form.read())
        .then((res) => {
          const id = res.processId ?? res.id;
          mount(message, h('span', { class: 'success' }, t('started'), ' '), id ? h('a', { href: `/console/processes/${encodeURIComponent(id)}` }, id) : null);
        })
        .catch((err: unknown) => {
          message.className = 'error';
          message.textContent = err instanceof ApiFailure ? `${err.status}: ${err.message}` : String(err);
          if (err instanceof ApiFailure) form.showIssues(err.details);
        })
        .finally(() => {
          submit.disabled = false;
        });
    });
    mount(panel, el);
  };
  starts.forEach((s, i) => tabs.appendChild(h('a', { href: '#', onclick: (e: Event) => {
    e.preventDefault();
    show(i);
  } }, t(s.title))));
  mount(root, h('h1', {}, t('start')), tabs, panel);
  show(0);
}
