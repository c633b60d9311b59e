/**
 * Accountability cases end to end on the dev server (real worker, Yiwu demo data): a case
 * from opening to closure through the inbox, with a disciplinary child process and an
 * organisational-handling task; and an escalation's case proposal opened by a case officer,
 * the case citing the overdue task.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueId } from '../support/services.js';
import type { TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { allWorkflowsPath, inDays, reportTask } from '../support/fixtures.js';
import { singleTaskProcess } from '../fixtures/single-task-workflow.js';
import type { Models } from '../../models/index.js';

describe('Accountability case through the inbox (Art. 14–17)', () => {
  let h: ServiceHarness;
  let models: Models;
  let api: TestApi;
  let officer: string;
  let dicSupervisor: string;
  let orgDept: string;
  let futangUnit: string;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo', worker: { workflowsPath: allWorkflowsPath } });
    ({ models, api } = h);
    officer = api.token({ sub: 'acct-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' });
    dicSupervisor = api.token({ sub: 'acct-yiwu-ds', role: 'supervisor', orgId: 'yiwu-dic', personId: 'p-yiwu-ds' });
    orgDept = api.token({ sub: 'acct-yiwu-orgdept', role: 'unit', orgId: 'yiwu-orgdept' });
    futangUnit = api.token({ sub: 'acct-futang', role: 'unit', orgId: 'futang-pc' });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The open task of an element, as its assignee finds it in the inbox. */
  async function inboxTask(token: string, processId: string, elementId: string) {
    return vi.waitFor(
      async () => {
        const res = await api.request('GET', `/api/v1/tasks?status=open&processId=${encodeURIComponent(processId)}`, { token });
        const task = (res.body.items as Array<{ id: string; elementId: string; assignee: unknown; context?: any }>).find((t) => t.elementId === elementId);
        if (!task) throw new Error(`no open ${elementId} in the inbox yet`);
        return task;
      },
      { timeout: 15_000, interval: 100 },
    );
  }
  async function complete(token: string, processId: string, elementId: string, payload: unknown) {
    const task = await inboxTask(token, processId, elementId);
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`, { token, body: { payload } });
    expect(res.status, `${elementId}: ${JSON.stringify(res.body)}`).toBe(200);
    return task;
  }
  const processOf = (id: string) => api.request('GET', `/api/v1/processes/${encodeURIComponent(id)}`, { token: officer });
  async function untilCompleted(id: string) {
    return vi.waitFor(
      async () => {
        const res = await processOf(id);
        if (res.body?.status !== 'completed') throw new Error(`${id} is ${res.body?.status}`);
        return res.body;
      },
      { timeout: 15_000, interval: 200 },
    );
  }

  it('Art. 16–17: when a severe case against a team member decides a disciplinary sanction and a position adjustment, then the DIC sub-process and the organisation department carry them out and the case closes with the outcome on the record', async () => {
    const opened = await api.request('POST', '/api/v1/cases', {
      token: officer,
      body: {
        subject: { side: 'pc', kind: 'person', orgId: 'futang-pc', personId: 'p-futang-tm1' },
        grounds: ['14(4)', '14(7)'],
        source: 'petition',
        summary: 'a report of shielded violations',
      },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.processId as string;

    await complete(futangUnit, caseId, 'submitEvidence', { summary: 'the supervision ledger and meeting minutes' });
    await complete(officer, caseId, 'determine', { facts: 'violations were known and not reported', determination: 'severe' });
    await complete(officer, caseId, 'decide', { sanctions: ['disciplinarySanction', 'positionAdjustment'], reasoning: 'severe, Art. 16', jointWithDic: true });

    const record = await vi.waitFor(async () => {
      const res = await api.request('GET', '/api/v1/accountability-records?personId=p-futang-tm1', { token: officer });
      if (res.body.items.length === 0) throw new Error('no record yet');
      return res.body.items[0];
    });
    expect(record).toMatchObject({ caseProcessId: caseId, status: 'decided', determination: 'severe', sanctions: ['disciplinarySanction', 'positionAdjustment'] });

    // Organisational handling: the organisation department's task (joint with the DIC).
    const handling = await complete(orgDept, caseId, 'orgHandling', { summary: 'transferred to a non-leading post' });
    expect(handling.context).toMatchObject({ measures: ['positionAdjustment'], jointWithDic: true });

    // The disciplinary sanction: a child process of the DIC.
    const childId = `${caseId}:disciplinary`;
    await complete(officer, childId, 'fileCase', { caseNumber: 'YW-2027-001' });
    await complete(officer, childId, 'investigate', { findings: 'confirmed' });
    const wrongRole = await inboxTask(officer, childId, 'decideSanction');
    expect((await api.request('POST', `/api/v1/tasks/${encodeURIComponent(wrongRole.id)}/complete`, { token: officer, body: { payload: { sanction: 'warning' } } })).status).toBe(403);
    await complete(dicSupervisor, childId, 'decideSanction', { sanction: 'serious intra-party warning 党内严重警告' });
    const child = await untilCompleted(childId);
    expect(child.processType).toBe('disciplinary-case');

    await complete(officer, caseId, 'closeCase', { summary: 'all measures carried out' });
    const closed = await untilCompleted(caseId);
    expect(closed.elements.done).toEqual(expect.arrayContaining(['submitEvidence', 'determine', 'decide', 'disciplinaryCase', 'orgHandling', 'closeCase', 'end']));
    expect(closed.details.policyVersion).toBe('PROCESS-CASE@1');
    expect(closed.details.executions.disciplinaryCase).toMatchObject({ caseNumber: 'YW-2027-001', sanction: 'serious intra-party warning 党内严重警告' });

    const final = await api.request('GET', '/api/v1/accountability-records?orgId=futang-pc', { token: futangUnit });
    expect(final.body.items).toEqual([expect.objectContaining({ caseProcessId: caseId, status: 'closed', closingSummary: 'all measures carried out' })]);
    const otherTown = await api.request('GET', '/api/v1/accountability-records?orgId=futang-pc', { token: api.token({ sub: 'acct-suxi', role: 'unit', orgId: 'suxi-pc' }) });
    expect(otherTown.body.items).toEqual([]);
  });

  it('Art. 16, 12(3): when a light case decides a written self-examination and an admonishment talk, then the subject submits the examination by its deadline and the talk runs as an interview of the case', async () => {
    const opened = await api.request('POST', '/api/v1/cases', {
      token: officer,
      body: { subject: { side: 'pc', kind: 'person', orgId: 'futang-pc', personId: 'p-futang-tm2' }, grounds: ['14(8)'], source: 'petition', summary: 'complaints handled passively' },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.processId as string;
    await complete(futangUnit, caseId, 'submitEvidence', { summary: 'the complaint file' });
    await complete(officer, caseId, 'determine', { facts: 'complaints left unanswered for months', determination: 'light' });
    await complete(officer, caseId, 'decide', { sanctions: ['writtenSelfExamination', 'admonishmentTalk'], reasoning: 'light' });

    const examination = await inboxTask(futangUnit, caseId, 'writtenSelfExamination');
    expect((examination as unknown as { dueDate: string }).dueDate).toBe(inDays(15));
    await complete(futangUnit, caseId, 'writtenSelfExamination', { content: 'I failed to answer the complaints in time.' });
    const talkId = `${caseId}:admonishment`;
    await complete(officer, talkId, 'holdInterview', { content: 'Admonishment talk held with Chen Zhiqiang.' });
    const talk = await untilCompleted(talkId);
    expect(talk.details).toMatchObject({ kind: 'admonishmentTalk', source: { caseProcessId: caseId } });

    await complete(officer, caseId, 'closeCase', { summary: 'examination received, talk held' });
    const closed = await untilCompleted(caseId);
    expect(closed.details.executions.writtenSelfExamination).toMatchObject({ documentId: `${caseId}:writtenSelfExamination`, late: false });
  });

  it('Art. 12, 14(2): when an overdue task escalates, then a case officer opens its case proposal, the case cites the overdue task, and a second opening is refused with 409', async () => {
    const source = await h.client.workflow.start(singleTaskProcess, {
      taskQueue: h.worker!.taskQueue,
      workflowId: uniqueId('overdue'),
      args: [
        {
          identity: {
            processType: 'single-task',
            title: 'Annual report',
            orgId: 'futang-pc',
            orgPath: ['jinhua-pc', 'yiwu-pc', 'futang-pc'],
            startedBy: { sub: 'acct-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic' },
            issuerOrgId: 'yiwu-dic',
          },
          spec: {
            ...reportTask(inDays(-40)),
            assignee: { orgId: 'futang-pc', roles: ['unit'] },
            orgPath: ['jinhua-pc', 'yiwu-pc', 'futang-pc'],
            escalateTo: ['futang-dic'],
            deciderOrgId: 'yiwu-dic',
          },
        },
      ],
    });
    const proposals = await vi.waitFor(
      async () => {
        const res = await api.request('GET', '/api/v1/proposals?status=open', { token: officer });
        const mine = (res.body.items as Array<{ id: string; kind: string; sourceTaskId: string; sourceProcessId: string }>).filter((p) => p.sourceProcessId === source.workflowId);
        if (mine.length < 2) throw new Error('proposals not filed yet');
        return mine;
      },
      { timeout: 15_000, interval: 200 },
    );
    const caseProposal = proposals.find((p) => p.kind === 'case')!;
    const interviewProposal = proposals.find((p) => p.kind === 'interview')!;

    const opened = await api.request('POST', `/api/v1/proposals/${encodeURIComponent(caseProposal.id)}/open`, {
      token: officer,
      body: { open: 'case', subject: { side: 'pc', kind: 'team' }, grounds: ['14(2)'] },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.processId as string;
    const proposal = await models.Proposal.findById(caseProposal.id).lean();
    expect(proposal).toMatchObject({ status: 'opened', openedProcessId: caseId });

    const state = await vi.waitFor(async () => {
      const res = await processOf(caseId);
      if (res.status !== 200) throw new Error(`process ${res.status}`);
      return res.body;
    });
    expect(state.details).toMatchObject({ source: 'escalation', proposalId: caseProposal.id, sourceTaskId: caseProposal.sourceTaskId, sourceProcessId: source.workflowId });
    expect(state.details.sourceTaskId).toBe(`${source.workflowId}:theTask:1`);

    const again = await api.request('POST', `/api/v1/proposals/${encodeURIComponent(caseProposal.id)}/open`, {
      token: officer,
      body: { open: 'case', subject: { side: 'pc', kind: 'team' }, grounds: ['14(2)'] },
    });
    expect(again.status).toBe(409);

    // The interview proposal opens a problem interview held by the principal leader above the town's team.
    const interview = await api.request('POST', `/api/v1/proposals/${encodeURIComponent(interviewProposal.id)}/open`, { token: officer, body: { open: 'interview' } });
    expect(interview.status).toBe(201);
    expect(interview.body.processId).toBe(`interview:futang-pc:${interviewProposal.id}`);
    const task = await inboxTask(officer, interview.body.processId, 'holdInterview');
    expect(task.assignee).toMatchObject({ orgId: 'yiwu-pc', roles: ['leader'], personId: 'p-yiwu-pl' });

    // Both proposals are decided now: none of this source is left open.
    const another = await api.request('GET', '/api/v1/proposals?status=open', { token: officer });
    expect(another.body.items.filter((p: { sourceProcessId: string }) => p.sourceProcessId === source.workflowId)).toEqual([]);
  });

  it('Art. 15: when a case is opened from a proposal with grounds of the wrong side, then 422 naming Art. 14 and the proposal stays open', async () => {
    await models.Proposal.create({
      _id: 'manual-proposal-1',
      kind: 'case',
      status: 'open',
      articles: ['14(2)'],
      subjectOrgId: 'suxi-pc',
      deciderOrgId: 'yiwu-dic',
      orgPath: ['jinhua-pc', 'yiwu-pc', 'suxi-pc'],
      sourceProcessId: 'p-x',
      sourceTaskId: 'p-x:theTask:1',
      reason: 'overdue',
      createdAt: new Date(),
    });
    const res = await api.request('POST', '/api/v1/proposals/manual-proposal-1/open', {
      token: officer,
      body: { open: 'case', subject: { side: 'pc', kind: 'team' }, grounds: ['15(1)'] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Art. 14');
    expect((await models.Proposal.findById('manual-proposal-1').lean())?.status).toBe('open');
  });
});
