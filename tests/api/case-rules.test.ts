/**
 * The rules an accountability case is checked against at the API: grounds of the wrong side
 * (Art. 14/15) at opening, and the Art. 16 table at the decision task, on the dev server
 * with the real worker and the Yiwu demo data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { ART16_TABLE, SANCTIONS, type Sanction, type Severity, type SubjectKind } from '../../domain/accountability.js';
import type { Models } from '../../models/index.js';

describe('Accountability case rules at the API (Art. 14–16)', () => {
  let h: ServiceHarness;
  let models: Models;
  let api: TestApi;
  let officer: string;
  let unit: string;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo', worker: true });
    ({ models, api } = h);
    officer = api.token({ sub: 'acct-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' });
    unit = api.token({ sub: 'acct-futang', role: 'unit', orgId: 'futang-pc' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const openTask = (processId: string, elementId: string) => h.openTask(processId, elementId);

  const subjectFor = (kind: SubjectKind) => (kind === 'team' ? { side: 'pc', kind, orgId: 'futang-pc' } : { side: 'pc', kind, orgId: 'futang-pc', personId: 'p-futang-tm1' });

  let casesOpened = 0;
  /** Opens a case and brings it to its decision task with the given severity. */
  async function caseAtDecision(kind: SubjectKind, severity: Severity | 'noResponsibility'): Promise<string> {
    casesOpened += 1;
    const started = await api.request('POST', '/api/v1/cases', {
      token: officer,
      // Each case a matter of its own: the same start sent twice the same day is one case (409).
      body: { subject: subjectFor(kind), grounds: ['14(2)'], source: 'inspection', summary: `assigned matters not carried out (${kind}, ${severity}, no. ${casesOpened})` },
    });
    expect(started.status).toBe(201);
    const processId = started.body.processId as string;
    const evidence = await openTask(processId, 'submitEvidence');
    expect((await api.request('POST', `/api/v1/tasks/${encodeURIComponent(evidence._id)}/complete`, { token: unit, body: { payload: { summary: 'minutes and ledgers' } } })).status).toBe(200);
    const determine = await openTask(processId, 'determine');
    const determined = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(determine._id)}/complete`, {
      token: officer,
      body: { payload: { facts: 'the matter was not deployed', determination: severity } },
    });
    expect(determined.status).toBe(200);
    return (await openTask(processId, 'decide'))._id;
  }

  const decide = (taskId: string, sanctions: string[]) =>
    api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: officer, body: { payload: { sanctions, reasoning: 'per Art. 16' } } });

  it.each([
    { side: 'pc', grounds: ['15(5)'], article: 'Art. 14' },
    { side: 'dic', grounds: ['14(2)'], article: 'Art. 15' },
    { side: 'pc', grounds: ['14(2)', '15(1)'], article: 'Art. 14' },
    { side: 'pc', grounds: ['16(1)'], article: 'Art. 14' },
  ])('Art. 14/15: when a $side-side case cites $grounds, then 422 naming $article and no case is started', async ({ side, grounds, article }) => {
    const before = await models.ProcessSummary.countDocuments();
    const orgId = side === 'pc' ? 'futang-pc' : 'futang-dic';
    const res = await api.request('POST', '/api/v1/cases', {
      token: officer,
      body: { subject: { side, kind: 'team', orgId }, grounds, source: 'petition', summary: 'a complaint' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable');
    expect(res.body.error.message).toContain(article);
    expect(await models.ProcessSummary.countDocuments()).toBe(before);
  });

  it('Art. 15: when a DIC-side case cites Art. 15 grounds, then it is opened', async () => {
    const res = await api.request('POST', '/api/v1/cases', {
      token: officer,
      body: { subject: { side: 'dic', kind: 'person', orgId: 'futang-dic', personId: 'p-futang-ds' }, grounds: ['15(3)', '15(5)'], source: 'referral', summary: 'a report not passed on' },
    });
    expect(res.status).toBe(201);
    expect(res.body.processId).toMatch(/^case:futang-dic:/);
  });

  // The Art. 16 table, row by row: each decision task refuses every measure outside its row
  // (422 naming Art. 16, task still open), then accepts the row's measures.
  const rows = (['team', 'person'] as const).flatMap((kind) => (['light', 'heavier', 'severe'] as const).map((severity) => ({ kind, severity, allowed: ART16_TABLE[kind][severity] })));

  it.each(rows)('Art. 16: when a $kind is found $severity, then only $allowed is accepted and every other measure is refused naming Art. 16', async ({ kind, severity, allowed }) => {
    const taskId = await caseAtDecision(kind, severity);
    const refused = SANCTIONS.filter((s) => s !== 'transferToJudicialOrgans' && !allowed.includes(s));
    for (const sanction of refused) {
      const res = await decide(taskId, [sanction]);
      expect(res.status, sanction).toBe(422);
      expect(res.body.error.message).toContain('Art. 16');
      expect(res.body.error.message).toContain(sanction);
    }
    const stillOpen = await models.Task.findById(taskId).lean();
    expect(stillOpen?.status).toBe('open');

    // Position-ending measures are exclusive of each other: accept the first with the rest of the row,
    // and each other one alone in a case of its own.
    const exclusive: Sanction[] = ['positionAdjustment', 'orderedResignation', 'dismissal', 'demotion'];
    const combinable = allowed.filter((s) => !exclusive.includes(s) || s === 'positionAdjustment');
    const accepted = await decide(taskId, [...combinable, 'transferToJudicialOrgans']);
    expect(accepted.status).toBe(200);
    expect(accepted.body.result.sanctions).toEqual([...combinable, 'transferToJudicialOrgans']);
    for (const sanction of allowed.filter((s) => !combinable.includes(s))) {
      const alone = await decide(await caseAtDecision(kind, severity), [sanction]);
      expect(alone.status, sanction).toBe(200);
    }
  });

  it('Art. 16: when no responsibility is found, then any measure is refused naming Art. 16 but a transfer to the judicial organs alone is accepted', async () => {
    const taskId = await caseAtDecision('person', 'noResponsibility');
    for (const sanctions of [['criticismEducation'], ['flogging']]) {
      const res = await decide(taskId, sanctions);
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain('Art. 16');
    }
    const transfer = await decide(taskId, ['transferToJudicialOrgans']);
    expect(transfer.status).toBe(200);
  });
});
