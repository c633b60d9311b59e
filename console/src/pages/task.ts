/** One task: what it is, its deadline, and the form it is completed with (from its JSON Schema). */
import { h, mount } from '../dom.js';
import { ApiFailure, enc, get, post, type Principal } from '../api.js';
import { named, t } from '../i18n.js';
import { renderForm, type JsonSchema } from '../form.js';
import { dueBadge, orgName, orgs } from './shared.js';
import type { Task } from './inbox.js';

export async function taskPage(root: HTMLElement, id: string, me: Principal): Promise<void> {
  const [task, orgMap] = await Promise.all([get<Task>(`/api/v1/tasks/${enc(id)}`), orgs()]);
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('process')), h('dd', {}, me.role === 'unit' ? task.processType : h('a', { href: `/console/processes/${enc(task.processId)}` }, task.processType)),
    h('dt', {}, t('assignee')), h('dd', {}, orgName(orgMap, task.assignee.orgId)),
    h('dt', {}, t('due')), h('dd', {}, task.dueDate, ' ', dueBadge(task)),
    h('dt', {}, t('status')), h('dd', { id: 'task-status' }, t(task.status === 'completed' ? 'completed' : task.status === 'cancelled' ? 'cancelled' : 'open')),
  );
  const context = task.context && typeof task.context === 'object'
    ? h('dl', { class: 'facts context' }, Object.entries(task.context as Record<string, unknown>).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? v : JSON.stringify(v))]))
    : null;
  const body = h('section', { class: 'card' });
  mount(root, h('h1', {}, named(task)), facts, context, body);
  if (task.status !== 'open') {
    mount(body, h('pre', { class: 'result' }, JSON.stringify(task.result ?? {}, null, 2)));
    return;
  }
  const schema = await get<JsonSchema>(`/api/v1/forms/${enc(task.form)}`);
  const form = renderForm(schema);
  const message = h('div', { id: 'form-message', role: 'status' });
  const submit = h('button', { type: 'submit', id: 'submit' }, t('submit'));
  const el = h('form', { id: 'task-form', 'data-form': task.form }, h('h2', {}, t('form')), form.element, message, submit);
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    submit.disabled = true;
    message.className = '';
    message.textContent = '';
    post<{ late: boolean }>(`/api/v1/tasks/${enc(task.id)}/complete`, { payload: form.read() })
      .then((outcome) => {
        mount(body, h('p', { class: 'success', id: 'completed' }, t('submitted'), outcome.late ? ` (${t('late')})` : ''), h('a', { href: '/console/inbox' }, t('inbox')));
      })
      .catch((err: unknown) => {
        submit.disabled = false;
        message.className = 'error';
        message.textContent = err instanceof ApiFailure ? `${err.status}: ${err.message}` : String(err);
        if (err instanceof ApiFailure) form.showIssues(err.details);
      });
  });
  mount(body, el);
}
