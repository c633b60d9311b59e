/**
 * One task: what it is, its deadline, its context as readable sections, and the form it
 * is completed with (from its JSON Schema); a completed task shows its answer as the same
 * form, read-only.
 */
import { h, mount } from '../dom.js';
import { ApiFailure, enc, get, getOptional, post, type Principal } from '../api.js';
import { named, t } from '../i18n.js';
import { readyToSend, renderAnswer, renderForm, type Choice, type JsonSchema } from '../form.js';
import { errorText } from '../errors.js';
import { personIdsIn, processTypeName, readableSections, type Names } from '../readable.js';
import { dueBadge, groundNames, orgChoices, orgName, orgs, peopleChoices, personNames, type Org } from './shared.js';
import type { Task } from './inbox.js';

type Row = Record<string, unknown>;

const rowsOf = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);

interface DocumentRef { documentId: string; version: number }
interface DocumentView { id: string; title: string; versions: Array<{ version: number; content: string }> }

/** The documents a task's context points at (the one to sign, or the ones a step produced). */
function documentRefs(context: Row): DocumentRef[] {
  const isRef = (v: unknown): v is DocumentRef => typeof v === 'object' && v !== null && typeof (v as Row).documentId === 'string' && typeof (v as Row).version === 'number';
  const documents = context.documents && typeof context.documents === 'object' ? Object.values(context.documents as Row) : [];
  return [context.document, ...documents].filter(isRef);
}

/**
 * The documents themselves, as the text that was written (the version the process points at):
 * a leader signs an explanation he can read on the page. One the caller may not read is left out.
 */
async function documentSections(context: Row): Promise<HTMLElement[]> {
  const docs = await Promise.all(documentRefs(context).map((ref) => getOptional<DocumentView>(`/api/v1/documents/${enc(ref.documentId)}`).then((doc) => ({ ref, doc })).catch(() => ({ ref, doc: null }))));
  return docs.flatMap(({ ref, doc }) => {
    const version = doc?.versions.find((v) => v.version === ref.version);
    if (!doc || !version) return [];
    return [h('section', { class: 'context-section document', 'data-document': ref.documentId },
      h('h3', {}, `${doc.title}（${t('version').replace('{n}', String(ref.version))}）`),
      h('div', { class: 'document-text' }, version.content))];
  });
}

/** Names for IDs: organisations from the caller's list, the people the task's context and answer name. */
async function namesFor(task: Task, orgMap: Map<string, Org>): Promise<Names & { people: Map<string, string> }> {
  const context = (task.context ?? {}) as Row;
  const [people, grounds] = await Promise.all([
    personNames([...personIdsIn(context), ...personIdsIn(task.result)]),
    context.grounds ? groundNames() : Promise.resolve(new Map<string, string>()),
  ]);
  return {
    org: (id) => orgName(orgMap, id),
    person: (id) => people.get(id) ?? id,
    people,
    ground: (code) => grounds.get(code) ?? code,
  };
}

const choicesOf = (rows: Row[], idKey: string): Choice[] =>
  rows.filter((r) => typeof r[idKey] === 'string').map((r) => ({ value: r[idKey] as string, label: typeof r.title === 'string' ? r.title : (r[idKey] as string) }));

export async function taskPage(root: HTMLElement, id: string, me: Principal): Promise<void> {
  const [task, orgMap] = await Promise.all([get<Task>(`/api/v1/tasks/${enc(id)}`), orgs()]);
  const [schema, names] = await Promise.all([get<JsonSchema>(`/api/v1/forms/${enc(task.form)}`), namesFor(task, orgMap)]);
  const context = (task.context ?? {}) as Row;
  const status = h('dd', { id: 'task-status' }, t(task.status === 'completed' ? 'completed' : task.status === 'cancelled' ? 'cancelled' : 'open'));
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('process')), h('dd', {}, me.role === 'unit' ? processTypeName(task.processType) : h('a', { href: `/console/processes/${enc(task.processId)}` }, processTypeName(task.processType))),
    h('dt', {}, t('assignee')), h('dd', {}, orgName(orgMap, task.assignee.orgId)),
    h('dt', {}, t('due')), h('dd', {}, task.dueDate, ' ', dueBadge(task)),
    h('dt', {}, t('status')), status,
  );
  const sections = [...readableSections(context, names), ...(await documentSections(context))];
  const contextCard = sections.length ? h('section', { class: 'card', id: 'task-context' }, h('h2', {}, t('context')), sections) : null;
  const body = h('section', { class: 'card', id: 'task-body' });
  mount(root, h('h1', {}, named(task)), facts, contextCard, body);

  const answerNames = (picker: string, value: string) =>
    picker === 'org' ? names.org(value) : picker === 'person' ? names.person(value) : picker === 'finding' || picker === 'item' ? (findingTitles.get(value) ?? value) : value;
  const findingTitles = new Map([...choicesOf(rowsOf(context.findings), 'findingId'), ...choicesOf([...rowsOf(context.items), ...rowsOf(context.openItems)], 'itemId')].map((c) => [c.value, c.label]));
  const showAnswer = (result: unknown) => mount(body, h('h2', {}, t('answer')), h('div', { id: 'answer' }, renderAnswer(schema, result ?? {}, answerNames)));

  if (task.status !== 'open') {
    showAnswer(task.result);
    return;
  }
  const form = renderForm(schema, {
    orgs: orgChoices(orgMap),
    ownOrgId: me.orgId,
    assigneeOrgId: task.assignee.orgId,
    people: peopleChoices,
    findings: choicesOf(rowsOf(context.findings), 'findingId'),
    items: choicesOf(rowsOf(context.openItems ?? context.items), 'itemId'),
    context,
  });
  const message = h('div', { id: 'form-message', role: 'status' });
  const submit = h('button', { type: 'submit', id: 'submit' }, t('submit'));
  const el = h('form', { id: 'task-form', 'data-form': task.form, novalidate: true }, h('h2', {}, t('form')), form.element, message, submit);
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!readyToSend(form, message)) return;
    submit.disabled = true;
    const payload = form.read();
    post<{ late: boolean }>(`/api/v1/tasks/${enc(task.id)}/complete`, { payload })
      .then((outcome) => {
        status.textContent = t('completed');
        // The people just picked, by name in the answer too.
        return personNames(personIdsIn(payload)).then((picked) => {
          for (const [personId, name] of picked) names.people.set(personId, name);
          showAnswer(payload);
          body.prepend(h('p', { class: 'success', id: 'completed' }, t('submitted'), outcome.late ? ` (${t('late')})` : '', ' ', h('a', { href: '/console/inbox' }, t('backToInbox'))));
        });
      })
      .catch((err: unknown) => {
        submit.disabled = false;
        message.className = 'error';
        message.textContent = errorText(err);
        if (err instanceof ApiFailure) form.showIssues(err.details);
      });
  });
  mount(body, el);
}
