/**
 * An interview and reminder (约谈提醒, Art. 12(1)) from opening to the DIC's receipt, on the
 * dev server with the real worker and the Yiwu demo data: the principal leader holds it, the
 * person interviewed writes an explanation, the leader signs and endorses it through the
 * process, and the DIC receives it. An edit after signing shows as not matching.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import type { TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import type { Models } from '../../models/index.js';
import { addDays, localDateOf } from '../../domain/calendar.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('Interview with a signed explanation (Art. 12(1))', () => {
  let h: ServiceHarness;
  let models: Models;
  let api: TestApi;
  let officer: string;
  let futangPl: string;
  let futangTm: string;
  let futangUnit: string;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo', worker: true });
    ({ models, api } = h);
    officer = api.token({ sub: 'acct-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' });
    futangPl = api.token({ sub: 'acct-futang-pl', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl' });
    futangTm = api.token({ sub: 'acct-futang-tm1', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-tm1' });
    futangUnit = api.token({ sub: 'acct-futang', role: 'unit', orgId: 'futang-pc' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const openTask = (processId: string, elementId: string) => h.openTask(processId, elementId);
  const complete = (taskId: string, token: string, payload: unknown) =>
    api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token, body: { payload } });

  it('Art. 12(1): when a problem interview runs to its return, then the explanation is signed by the interviewing leader on its exact version, and an edit afterwards leaves the signature not matching', async () => {
    const opened = await api.request('POST', '/api/v1/interviews', {
      token: officer,
      body: { kind: 'problemInterview', subject: { orgId: 'futang-pc', personId: 'p-futang-tm1' }, reason: 'petitions about land requisition' },
    });
    expect(opened.status).toBe(201);
    const processId = opened.body.processId as string;
    expect(opened.body.firstTask.elementId).toBe('holdInterview');

    // The PL of the responsible PC holds it: only he may complete the record task.
    const hold = await openTask(processId, 'holdInterview');
    expect(hold.assignee).toMatchObject({ orgId: 'futang-pc', roles: ['leader'], personId: 'p-futang-pl' });
    expect((await complete(hold._id, futangTm, { content: 'minutes' })).status).toBe(403);
    expect((await complete(hold._id, futangPl, { content: 'Interviewed Chen Zhiqiang on the petitions.' })).status).toBe(200);

    const write = await openTask(processId, 'writeExplanation');
    expect(write.assignee).toMatchObject({ orgId: 'futang-pc', personId: 'p-futang-tm1' });
    expect(write.dueDate).toBe(addDays(localDateOf(Date.now()), 7));
    const explanation = 'The requisition notices were posted late; the ledger is now public.';
    expect((await complete(write._id, futangTm, { content: explanation })).status).toBe(200);

    const endorse = await openTask(processId, 'endorseExplanation');
    const documentId = (endorse.context as { document: { documentId: string } }).document.documentId;
    expect((await complete(endorse._id, futangPl, { opinion: 'Read; the facts are as stated. 情况属实。' })).status).toBe(200);

    const receive = await openTask(processId, 'returnToDic');
    expect(receive.assignee).toMatchObject({ orgId: 'yiwu-dic', roles: ['caseOfficer'] });
    expect((await complete(receive._id, officer, { note: 'received' })).status).toBe(200);

    const ended = await vi.waitFor(
      async () => {
        const res = await api.request('GET', `/api/v1/processes/${encodeURIComponent(processId)}`, { token: officer });
        if (res.body?.status !== 'completed') throw new Error(`process ${res.body?.status}`);
        return res.body;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(ended.elements.done).toEqual(expect.arrayContaining(['holdInterview', 'writeExplanation', 'endorseExplanation', 'returnToDic', 'end']));

    const path = `/api/v1/documents/${encodeURIComponent(documentId)}`;
    const signatures = await api.request('GET', `${path}/signatures`, { token: futangUnit });
    expect(signatures.status).toBe(200);
    const list = signatures.body.items as Array<Record<string, any>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      version: 1,
      sha256: sha256(explanation),
      signer: { personId: 'p-futang-pl', post: 'principalLeader', orgId: 'futang-pc' },
      status: { signedVersion: 1, currentVersion: 1, matchesCurrent: true, matchesSignedVersion: true },
    });

    // The subject organisation edits the explanation after it was signed.
    const edited = await api.request('PUT', path, { token: futangUnit, body: { baseVersion: 1, content: `${explanation} (amended)` } });
    expect(edited.status).toBe(200);
    const after = await api.request('GET', `${path}/signatures`, { token: futangUnit });
    const [signature] = after.body.items as Array<Record<string, any>>;
    expect(signature).toMatchObject({ version: 1, status: { signedVersion: 1, currentVersion: 2, matchesCurrent: false, matchesSignedVersion: true } });
  });

  it('Art. 12(2): when the city DIC head\'s interview of a place ends in rectification demands, then a rectification of that place is opened with the demands as its findings', async () => {
    const head = api.token({ sub: 'acct-yiwu-ds', role: 'supervisor', orgId: 'yiwu-dic', personId: 'p-yiwu-ds' });
    const opened = await api.request('POST', '/api/v1/interviews', {
      token: officer,
      body: { kind: 'cityDicHeadInterview', subject: { orgId: 'suxi-pc' }, reason: 'many petitions and low satisfaction' },
    });
    expect(opened.status).toBe(201);
    const processId = opened.body.processId as string;
    const hold = await openTask(processId, 'holdInterview');
    expect(hold.assignee).toMatchObject({ orgId: 'yiwu-dic', personId: 'p-yiwu-ds' });
    expect((await complete(hold._id, head, { content: 'Pointed out the petitions backlog.' })).status).toBe(200);
    const demands = await openTask(processId, 'setRectificationDemands');
    expect((await complete(demands._id, head, { demands: ['Clear the petitions backlog', 'Publish the land ledger'] })).status).toBe(200);

    const ended = await vi.waitFor(
      async () => {
        const res = await api.request('GET', `/api/v1/processes/${encodeURIComponent(processId)}`, { token: officer });
        if (res.body?.status !== 'completed') throw new Error(`process ${res.body?.status}`);
        return res.body;
      },
      { timeout: 15_000, interval: 200 },
    );
    const rectificationId = ended.details.rectificationProcessId as string;
    expect(rectificationId).toMatch(/^rectification:suxi-pc:interview-/);
    const rectification = await vi.waitFor(
      async () => {
        const res = await api.request('GET', `/api/v1/rectifications/${encodeURIComponent(rectificationId)}`, { token: officer });
        if (res.status !== 200) throw new Error(`rectification ${res.status}`);
        return res.body;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(rectification.status).toBe('running');
    expect(JSON.stringify(rectification.details)).toContain('Publish the land ledger');
  });

  it('Art. 12(1): when the interview names a delegate who holds no post in the responsible PC, then 422 and nothing starts', async () => {
    const before = await models.ProcessSummary.countDocuments();
    const res = await api.request('POST', '/api/v1/interviews', {
      token: officer,
      body: { kind: 'problemInterview', subject: { orgId: 'futang-pc', personId: 'p-futang-tm1' }, reason: 'x', interviewerPersonId: 'p-suxi-pl' },
    });
    expect(res.status).toBe(422);
    expect(await models.ProcessSummary.countDocuments()).toBe(before);
  });

  it('when a unit account tries to open an interview, then 403', async () => {
    const res = await api.request('POST', '/api/v1/interviews', {
      token: futangUnit,
      body: { kind: 'admonishmentTalk', subject: { orgId: 'futang-pc' }, reason: 'x' },
    });
    expect(res.status).toBe(403);
  });
});
