/**
 * A process: status, open tasks, the diagram coloured by element state and the readable
 * timeline, with a link to the same workflow in the Temporal UI.
 */
import { h, mount } from '../dom.js';
import { ApiFailure, enc, get, getOptional, post, type Principal } from '../api.js';
import { errorText } from '../errors.js';
import { lang, named, t } from '../i18n.js';
import { showDiagram, type ElementStates } from '../diagram.js';
import { personIdsIn, processTypeName, readableSections, registerValueNames, timelineText, type HistoryEntry, type Names } from '../readable.js';
import type { JsonSchema } from '../form.js';
import { dueBadge, groundNames, orgName, orgs, personNames, statusBadge, when } from './shared.js';

interface ProcessView {
  processId: string; processType: string; title: string; orgId: string; status: string; startedAt: string; endedAt?: string;
  elements: ElementStates; temporalUiUrl?: string; cancelReason?: string; details?: Record<string, unknown>;
  openTasks: Array<{ taskId: string; elementId: string; title: string; titleZh: string; assigneeOrgId: string; dueDate: string; overdue: boolean; escalationLevel: number }>;
}
interface History { entries: HistoryEntry[] }
interface Diagram { processType: string; xml: string; elements: ElementStates }

export async function processPage(root: HTMLElement, id: string, me: Principal): Promise<void> {
  const [proc, history, orgMap] = await Promise.all([
    get<ProcessView>(`/api/v1/processes/${enc(id)}`),
    get<History>(`/api/v1/processes/${enc(id)}/history`),
    orgs(),
  ]);
  const details = proc.details ?? {};
  // A case's decision names its measures as the decision form does.
  if (details.decision) {
    const form = await getOptional<JsonSchema>('/api/v1/forms/caseDecision');
    registerValueNames('sanctions', form?.properties?.sanctions?.['x-choices'] ?? []);
  }
  const [people, grounds] = await Promise.all([
    personNames([...personIdsIn(details), ...history.entries.flatMap((e) => (e.actor.personId ? [e.actor.personId] : []))]),
    details.grounds ? groundNames() : Promise.resolve(new Map<string, string>()),
  ]);
  const names: Names = { org: (o) => orgName(orgMap, o), person: (p) => people.get(p) ?? p, ground: (g) => grounds.get(g) ?? g };
  const substance = readableSections(details, names);
  type Titled = { itemId?: string; findingId?: string; title?: string };
  const titled = (v: unknown): Titled[] => (Array.isArray(v) ? (v as Titled[]) : []);
  const itemTitles = new Map([...titled(details.items), ...titled(details.findings)].map((x) => [x.itemId ?? x.findingId ?? '', x.title ?? '']));
  const diagramBox = h('div', { id: 'diagram', class: 'diagram' });
  mount(
    root,
    h('h1', {}, displayTitle(proc, orgName(orgMap, proc.orgId)), ' ', statusBadge(proc.status)),
    h('dl', { class: 'facts' },
      h('dt', {}, t('processType')), h('dd', {}, processTypeName(proc.processType)),
      h('dt', {}, t('org')), h('dd', {}, orgName(orgMap, proc.orgId)),
      h('dt', {}, t('startedAt')), h('dd', {}, when(proc.startedAt)),
      proc.endedAt ? [h('dt', {}, t('endedAt')), h('dd', {}, when(proc.endedAt))] : null,
      // Only an admin is given the link: the Temporal UI has no login of its own.
      proc.temporalUiUrl ? [h('dt', {}, 'Temporal'), h('dd', {}, h('a', { href: proc.temporalUiUrl, target: '_blank', rel: 'noopener', id: 'temporal-link' }, t('temporalUi')))] : null,
    ),
    proc.status === 'running' && (me.role === 'caseOfficer' || me.role === 'admin') ? cancelSection(proc, () => processPage(root, id, me)) : null,
    proc.openTasks.length > 0
      ? h('section', { class: 'card' }, h('h2', {}, t('openTasks')), h('ul', { id: 'open-tasks' }, proc.openTasks.map((task) =>
          h('li', {}, h('a', { href: `/console/tasks/${enc(task.taskId)}` }, named(task)), ` · ${orgName(orgMap, task.assigneeOrgId)} · ${t('due')} ${task.dueDate} `, dueBadge(task)))))
      : null,
    proc.cancelReason ? h('p', { class: 'error' }, `${t('cancelled')}：${proc.cancelReason}`) : null,
    substance.length ? h('section', { class: 'card', id: 'substance' }, h('h2', {}, t('substance')), substance) : null,
    h('section', { class: 'card' }, h('h2', {}, t('diagram')), legend(), diagramBox),
    h('section', { class: 'card' }, h('h2', {}, t('timeline')), h('ol', { class: 'timeline', id: 'timeline' }, history.entries.map((e) =>
      h('li', { 'data-action': e.action, class: /overdue|escalat/.test(e.action) ? 'warn' : null },
        h('time', {}, when(e.at)), ' ', h('span', { class: 'text' }, timelineText(e, names, itemTitles)))))),
  );
  try {
    const diagram = await loadDiagram(proc);
    if (diagram) await showDiagram(diagramBox, diagram.xml, diagram.elements);
    else mount(diagramBox, h('p', { class: 'muted' }, t('nothing')));
  } catch (err) {
    mount(diagramBox, h('p', { class: 'error' }, err instanceof ApiFailure ? err.message : String(err)));
  }
}

/**
 * Cancelling with a reason, folded away: the API lets only the issuing commission's case officers
 * (or an administrator) do it, and says so in Chinese to anyone else.
 */
function cancelSection(proc: ProcessView, reload: () => Promise<void>): HTMLElement {
  const reason = h('textarea', { name: 'cancelReason', rows: 3, 'aria-label': t('cancelReason') });
  const message = h('div', { role: 'status', id: 'cancel-message' });
  const confirm = h('button', { type: 'button', id: 'cancel-process', onclick: () => {
    if (!reason.value.trim()) {
      message.className = 'error';
      message.textContent = t('required');
      return;
    }
    confirm.disabled = true;
    post(`/api/v1/processes/${enc(proc.processId)}/cancel`, { reason: reason.value.trim() })
      .then(() => reload())
      .catch((err: unknown) => {
        confirm.disabled = false;
        message.className = 'error';
        message.textContent = errorText(err);
      });
  } }, t('confirmCancel'));
  return h('details', { class: 'card', id: 'cancel' },
    h('summary', {}, t('cancelProcess')),
    h('label', { class: 'field' }, h('span', { class: 'label' }, t('cancelReason'), h('span', { class: 'req' }, ' *')), reason),
    message,
    confirm);
}

/**
 * The process's title for the reader: the stored title is bilingual ("整改 Rectification: …"), so
 * the Chinese page says the type, the organisation and the reference in Chinese.
 */
function displayTitle(proc: ProcessView, org: string): string {
  if (lang() === 'en') return proc.title;
  const reference = typeof proc.details?.feedbackId === 'string' ? `（${proc.details.feedbackId}）` : '';
  return `${processTypeName(proc.processType)}：${org}${reference}`;
}

/** The diagram endpoint; where it is missing, the model's BPMN and the process's own element states. */
async function loadDiagram(proc: ProcessView): Promise<Diagram | null> {
  const diagram = await getOptional<Diagram>(`/api/v1/processes/${enc(proc.processId)}/diagram?lang=${lang()}`);
  if (diagram) return diagram;
  const xml = await getOptional<string>(`/api/v1/process-models/${enc(proc.processType)}/bpmn?lang=${lang()}`);
  return xml ? { processType: proc.processType, xml, elements: proc.elements } : null;
}

function legend(): HTMLElement {
  return h('div', { class: 'legend' }, (['active', 'done', 'overdue'] as const).map((s) => h('span', { class: `swatch state-${s}` }, t(s))));
}
