/**
 * Escalation proposals for the deciding commission's case officers: each open proposal by
 * the organisation it is about, the overdue step it came from and why, opened as an interview
 * with one click or not taken up with a reason. (Opening one as a case needs the case's grounds:
 * that is the start page's case form.)
 */
import { h, mount } from '../dom.js';
import { enc, get, post, type Principal } from '../api.js';
import { t } from '../i18n.js';
import { errorText } from '../errors.js';
import { orgName, orgs, when } from './shared.js';

interface Proposal {
  id: string; kind: 'interview' | 'case'; status: string; articles: string[]; subjectOrgId: string; deciderOrgId: string;
  sourceProcessId: string; reason: string; createdAt: string; openedProcessId?: string;
}

export async function proposalsPage(root: HTMLElement, _arg: string, me: Principal): Promise<void> {
  const [page, orgMap] = await Promise.all([get<{ items: Proposal[]; total: number }>('/api/v1/proposals?status=open&limit=200'), orgs()]);
  const reload = () => proposalsPage(root, '', me);
  const mayDecide = (p: Proposal) => me.role === 'admin' || (me.role === 'caseOfficer' && me.orgId === p.deciderOrgId);
  mount(
    root,
    h('h1', {}, t('proposals')),
    h('p', { class: 'muted', id: 'proposals-total' }, `${t('total')} ${page.total}`),
    page.items.length === 0
      ? h('p', { class: 'muted' }, t('nothing'))
      : h('table', { class: 'list', id: 'proposals' },
          h('thead', {}, h('tr', {}, h('th', {}, t('proposalKind')), h('th', {}, t('subjectOrg')), h('th', {}, t('reason')), h('th', {}, t('proposedAt')), h('th', {}, ''))),
          h('tbody', {}, page.items.map((p) => h('tr', { 'data-proposal': p.id },
            h('td', { 'data-label': t('proposalKind') }, t(p.kind === 'interview' ? 'proposeInterview' : 'proposeCase')),
            h('td', { 'data-label': t('subjectOrg') }, orgName(orgMap, p.subjectOrgId)),
            h('td', { 'data-label': t('reason') }, h('a', { href: `/console/processes/${enc(p.sourceProcessId)}` }, t('sourceProcess')), ' ', p.reason),
            h('td', { 'data-label': t('proposedAt') }, when(p.createdAt)),
            h('td', {}, mayDecide(p) ? decide(p, reload) : null),
          ))),
        ),
  );
}

function decide(p: Proposal, reload: () => Promise<void>): HTMLElement {
  const message = h('div', { role: 'status', class: 'proposal-message' });
  const fail = (err: unknown) => {
    message.classList.add('error');
    message.textContent = errorText(err);
  };
  const reason = h('input', { type: 'text', name: 'dismissReason', 'aria-label': t('dismissReason'), placeholder: t('dismissReason') });
  return h('div', { class: 'decide' },
    h('button', { type: 'button', class: 'small open-interview', onclick: () => {
      post(`/api/v1/proposals/${enc(p.id)}/open`, { open: 'interview' }).then(() => reload()).catch(fail);
    } }, t('openAsInterview')),
    ' ',
    reason,
    h('button', { type: 'button', class: 'small secondary dismiss', onclick: () => {
      if (!reason.value.trim()) {
        message.classList.add('error');
        message.textContent = t('required');
        return;
      }
      post(`/api/v1/proposals/${enc(p.id)}/dismiss`, { reason: reason.value.trim() }).then(() => reload()).catch(fail);
    } }, t('dismiss')),
    message,
  );
}
