/**
 * A rectification end to end on the dev server with the real worker and the Yiwu demo
 * data: a case officer of the Yiwu city DIC starts one for the Futang town PC; Futang
 * answers through its inbox; the Yiwu city DIC (Futang's upper-level DIC) reviews and
 * closes through its inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueId } from '../support/services.js';
import type { TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { addMonths, endOfDayInstant, localDateOf } from '../../domain/calendar.js';
import { requiredRectificationAccounts } from '../../models/annual-report-requirement.js';

describe('rectification API end to end (dev server, demo data, real worker)', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let officer: string;
  let supervisor: string;
  let futangUnit: string;
  let futangOfficer: string;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo', worker: true });
    api = h.api;
    officer = api.token({ sub: 'co-yiwu', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' });
    supervisor = api.token({ sub: 'sv-yiwu', role: 'supervisor', orgId: 'yiwu-dic' });
    futangUnit = api.token({ sub: 'u-futang', role: 'unit', orgId: 'futang-pc' });
    futangOfficer = api.token({ sub: 'co-futang', role: 'caseOfficer', orgId: 'futang-dic', personId: 'p-futang-co' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const today = () => localDateOf(Date.now());
  const body = (feedbackId: string, overrides: Record<string, unknown> = {}) => ({
    targetOrgId: 'futang-pc',
    issuingOrgId: 'yiwu-dic',
    feedbackId,
    feedbackDate: today(),
    channel: 'faceToFace',
    findings: [
      { title: 'Weak supervision of village cadres', detail: 'Three villages held no democratic-life meeting in 2026.' },
      { title: 'Procurement without tender', detail: 'Two contracts above the threshold were awarded directly.' },
    ],
    ...overrides,
  });

  /** Polls the caller's inbox until an open task of the element is there. */
  async function inboxTask(token: string, processId: string, elementId: string): Promise<{ id: string; dueDate: string; context?: any; assignee: any }> {
    for (let i = 0; i < 100; i++) {
      const res = await api.request('GET', `/api/v1/tasks?processId=${encodeURIComponent(processId)}&status=open`, { token });
      expect(res.status).toBe(200);
      const task = (res.body.items as Array<{ id: string; elementId: string; dueDate: string; assignee: any }>).find((t) => t.elementId === elementId);
      if (task) return task;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no open ${elementId} in the inbox`);
  }

  const complete = (token: string, taskId: string, payload: unknown) => api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token, body: { payload } });

  it('when a unit or an officer outside the remit tries to start one, or the body is wrong, then 403/422/400 and nothing starts', async () => {
    expect((await api.request('POST', '/api/v1/rectifications', { token: futangUnit, body: body('x-1') })).status).toBe(403);
    // Futang's own DIC is not above the Futang PC: feedback comes from the upper level.
    const own = await api.request('POST', '/api/v1/rectifications', { token: futangOfficer, body: body('x-2', { issuingOrgId: 'futang-dic' }) });
    expect(own.status).toBe(422);
    const notPc = await api.request('POST', '/api/v1/rectifications', { token: officer, body: body('x-3', { targetOrgId: 'futang-dic' }) });
    expect(notPc.status).toBe(422);
    const noFindings = await api.request('POST', '/api/v1/rectifications', { token: officer, body: body('x-4', { findings: [] }) });
    expect(noFindings.status).toBe(400);
    expect(noFindings.body.error.code).toBe('invalid_input');
    const badChannel = await api.request('POST', '/api/v1/rectifications', { token: officer, body: body('x-5', { channel: 'rumour' }) });
    expect(badChannel.status).toBe(400);
    expect(await h.models.ProcessSummary.countDocuments({ processType: 'rectification' })).toBe(0);
  });

  it('Art. 6(12): when a rectification is walked from start to closure through the inbox, then each step lands with the right side and the annual-report requirement is recorded', async () => {
    const feedbackId = uniqueId('fb');
    const started = await api.request('POST', '/api/v1/rectifications', { token: officer, body: body(feedbackId) });
    expect(started.status).toBe(201);
    const processId = `rectification:futang-pc:${feedbackId}`;
    const due = addMonths(today(), 1);
    expect(started.body).toEqual({ processId, plan: { dueDate: due, dueAt: endOfDayInstant(due) } });
    // The same feedback cannot start twice.
    const again = await api.request('POST', '/api/v1/rectifications', { token: officer, body: body(feedbackId) });
    expect(again.status).toBe(409);

    // Futang's plan: the rule refuses a plan that misses a finding; the DIC cannot complete Futang's task.
    const plan = await inboxTask(futangUnit, processId, 'planTask');
    expect(plan.dueDate).toBe(due);
    // A supervisor's search (the API's process index, fed by the activities' change log) finds it at the plan step.
    const searchFor = (status: string) => () => api.request('GET', `/api/v1/processes?type=rectification&subtreeOf=futang-pc&status=${status}&limit=100`, { token: supervisor });
    const isThere = (element: string) => (res: { body: { items?: Array<{ processId: string; activeElements: string[] }> } }) =>
      res.body.items?.some((p) => p.processId === processId && (element === '' || p.activeElements.includes(element))) ?? false;
    const atPlan = await eventually(searchFor('running'), isThere('planTask'));
    expect(atPlan.body.items.find((p: { processId: string }) => p.processId === processId)).toMatchObject({ orgId: 'futang-pc', nextDueDate: due, overdue: false, openTasks: 1 });
    expect(plan.assignee).toEqual({ orgId: 'futang-pc', roles: ['unit', 'leader'] });
    expect(plan.context.findings.map((f: { findingId: string }) => f.findingId)).toEqual(['F1', 'F2']);
    const row = (findingId: string) => ({ findingId, measures: `measures for ${findingId}`, responsiblePersonId: 'p-futang-pl', targetDate: addMonths(today(), 6) });
    const partial = await complete(futangUnit, plan.id, { items: [row('F1')] });
    expect(partial.status).toBe(422);
    expect(partial.body.error.message).toContain('does not cover finding F2');
    const badForm = await complete(futangUnit, plan.id, { items: [{ findingId: 'F1' }] });
    expect(badForm.status).toBe(400);
    expect((await complete(officer, plan.id, { items: [row('F1'), row('F2')] })).status).toBe(403);
    const submitted = await complete(futangUnit, plan.id, { items: [row('F1'), row('F2')] });
    expect(submitted.status).toBe(200);
    expect(submitted.body.late).toBe(false);

    // The Yiwu city DIC (Futang's upper-level DIC) reviews; Futang cannot.
    const review = await inboxTask(officer, processId, 'reviewTask');
    expect(review.assignee).toEqual({ orgId: 'yiwu-dic', roles: ['caseOfficer', 'supervisor'] });
    expect((await complete(futangUnit, review.id, { decision: 'accept' })).status).toBe(403);
    expect((await complete(officer, review.id, { decision: 'return' })).status).toBe(400);
    expect((await complete(officer, review.id, { decision: 'accept' })).status).toBe(200);

    // Progress report no. 1, due three months after the plan's submission; only open items may be named.
    const progress = await inboxTask(futangUnit, processId, 'progressTask');
    expect(progress.dueDate).toBe(addMonths(today(), 3));
    const unknown = await complete(futangUnit, progress.id, { items: [{ itemId: 'F9', done: 'x', evidence: 'y', rectified: true }] });
    expect(unknown.status).toBe(422);
    const report = await complete(futangUnit, progress.id, {
      items: [
        { itemId: 'F1', done: 'democratic-life meetings held in all villages', evidence: 'minutes', rectified: true },
        { itemId: 'F2', done: 'contracts re-tendered', documentId: 'doc-tender-2027', rectified: true },
      ],
    });
    expect(report.status).toBe(200);

    const mid = await api.request('GET', `/api/v1/rectifications/${encodeURIComponent(processId)}`, { token: futangUnit });
    expect(mid.status).toBe(200);

    // Closure by a supervisor of the upper-level DIC.
    const closure = await inboxTask(supervisor, processId, 'closureTask');
    expect((await complete(supervisor, closure.id, { decision: 'close', opinion: 'rectified in full' })).status).toBe(200);

    let view;
    for (let i = 0; i < 100; i++) {
      view = await api.request('GET', `/api/v1/rectifications/${encodeURIComponent(processId)}`, { token: officer });
      if (view.body.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view?.status).toBe(200);
    expect(view?.body).toMatchObject({ processId, status: 'completed', details: { stage: 'closed', progressReportNumber: 1, responsiblePerson: { personId: 'p-futang-pl' }, reviewerOrgId: 'yiwu-dic' } });
    expect(view?.body.details.items.map((i: { itemId: string; state: string }) => [i.itemId, i.state])).toEqual([
      ['F1', 'rectified'],
      ['F2', 'rectified'],
    ]);
    expect(isThere('')(await eventually(searchFor('completed'), isThere('')))).toBe(true);
    expect(isThere('')(await searchFor('running')())).toBe(false);
    const processView = await api.request('GET', `/api/v1/processes/${encodeURIComponent(processId)}`, { token: officer });
    expect(processView.body.elements.done).toEqual(expect.arrayContaining(['planTask', 'reviewTask', 'progressTask', 'closureTask', 'recordAnnualAccount', 'end']));
    const year = Number(today().slice(0, 4));
    const required = await requiredRectificationAccounts(h.models, 'futang-pc', year);
    expect(required.map((r) => r.rectificationId)).toEqual([processId]);
    expect(await h.models.AuditEntry.countDocuments({ processId, action: 'task.completed' })).toBe(4);
  });

  it('when the issuer cancels a running rectification with a reason, then it ends as cancelled and its open task is withdrawn; nobody else may cancel', async () => {
    const feedbackId = uniqueId('fb');
    const started = await api.request('POST', '/api/v1/rectifications', { token: officer, body: body(feedbackId, { channel: 'problemList' }) });
    expect(started.status).toBe(201);
    const { processId } = started.body as { processId: string };
    const plan = await inboxTask(futangUnit, processId, 'planTask');
    const path = `/api/v1/processes/${encodeURIComponent(processId)}/cancel`;
    expect((await api.request('POST', path, { token: futangOfficer, body: { reason: 'not mine' } })).status).toBe(403);
    const cancelled = await api.request('POST', path, { token: officer, body: { reason: 'feedback withdrawn after appeal' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'feedback withdrawn after appeal' });
    expect((await h.models.Task.findById(plan.id).lean())?.status).toBe('cancelled');
  });
});
