/**
 * Idempotency-Key as the IETF draft has it (issue 12): the key belongs to the caller and names
 * one request (method, path, canonical body); concurrent requests with one key have one effect;
 * the key with another request is 422; a failed first attempt gives the key back; a claim left
 * by a crashed process expires. Interviews and cases have a business key besides. Against the
 * dev server and FerretDB, with the Yiwu demo data (no worker: a started process just waits).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { uniqueId } from '../support/services.js';
import { CLAIM_TTL_MS, idempotencyRecordId, requestFingerprint } from '../../api/http/idempotency.js';
import type { Principal } from '../../api/http/endpoint.js';

describe('Idempotency-Key (IETF draft) and business keys of interviews and cases', () => {
  let h: ServiceHarness;
  let api: TestApi;
  const officerPrincipal: Principal = { sub: 'acct-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' };
  let officer: string;
  let admin: string;
  let futangUnit: string;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo' });
    api = h.api;
    officer = api.token(officerPrincipal);
    admin = api.token({ sub: 'acct-admin', role: 'admin', orgId: 'yiwu-pc' });
    futangUnit = api.token({ sub: 'acct-futang', role: 'unit', orgId: 'futang-pc' });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** fetch with the answer's headers too (TestApi.request gives status and body only). */
  async function send(method: string, path: string, token: string, body: unknown, key?: string) {
    const res = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any, replayed: res.headers.get('idempotent-replayed') };
  }

  const interview = (reason = 'late annual report') => ({ kind: 'problemInterview', subject: { orgId: 'futang-pc', personId: 'p-futang-tm1' }, reason });

  it('when ten interview starts with one key arrive at once, then one process starts: every 201 names it, the others are 409 in progress; a repeat afterwards replays it', async () => {
    const key = uniqueId('interview-key');
    const answers = await Promise.all(Array.from({ length: 10 }, () => send('POST', '/api/v1/interviews', officer, interview(), key)));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    const started = answers.filter((a) => a.status === 201);
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(new Set(started.map((a) => a.body.processId)).size).toBe(1);
    for (const busy of answers.filter((a) => a.status === 409)) expect(busy.body.error.code).toBe('idempotency_key_in_progress');
    const processId = started[0]!.body.processId as string;
    await expect(h.client.workflow.getHandle(processId).describe()).resolves.toMatchObject({ workflowId: processId });

    const again = await send('POST', '/api/v1/interviews', officer, interview(), key);
    expect(again).toMatchObject({ status: 201, replayed: 'true' });
    expect(again.body).toEqual(started[0]!.body);
  });

  it('when the key comes again with another body, or on another path, then 422 idempotency_key_reused and nothing starts', async () => {
    const key = uniqueId('interview-key');
    const first = await send('POST', '/api/v1/interviews', officer, interview('first reason'), key);
    expect(first.status).toBe(201);
    const otherBody = await send('POST', '/api/v1/interviews', officer, interview('another reason'), key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.error.code).toBe('idempotency_key_reused');
    const otherPath = await send('POST', '/api/v1/cases', officer, { subject: { side: 'pc', kind: 'team', orgId: 'futang-pc' }, grounds: ['14(8)'], source: 'petition', summary: 's' }, key);
    expect(otherPath.status).toBe(422);
    // The same body with its keys in another order is the same request.
    const reordered = await send('POST', '/api/v1/interviews', officer, { reason: 'first reason', subject: { personId: 'p-futang-tm1', orgId: 'futang-pc' }, kind: 'problemInterview' }, key);
    expect(reordered).toMatchObject({ status: 201, replayed: 'true', body: first.body });
  });

  it('when another caller sends the same key, then it is its own request', async () => {
    const key = uniqueId('shared-key');
    const mine = await send('POST', '/api/v1/interviews', officer, interview(), key);
    const theirs = await send('POST', '/api/v1/interviews', admin, interview(), key);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.processId).not.toBe(mine.body.processId);
  });

  it('when an interview or a case is started twice with one reference and no key, then the second is 409 naming the first process', async () => {
    const reference = uniqueId('DIC-2026');
    const first = await send('POST', '/api/v1/interviews', officer, { ...interview(), reference });
    expect(first.status).toBe(201);
    expect(first.body.processId).toBe(`interview:futang-pc:${reference}`);
    const second = await send('POST', '/api/v1/interviews', officer, { ...interview(), reference });
    expect(second.status).toBe(409);
    expect(second.body.error.details).toEqual({ processId: first.body.processId });

    const caseBody = { subject: { side: 'pc', kind: 'person', orgId: 'futang-pc', personId: 'p-futang-tm2' }, grounds: ['14(8)'], source: 'petition', summary: 'complaints handled passively', reference };
    const opened = await send('POST', '/api/v1/cases', officer, caseBody);
    expect(opened.status).toBe(201);
    const twice = await send('POST', '/api/v1/cases', officer, caseBody);
    expect(twice.status).toBe(409);
    expect(twice.body.error.details).toEqual({ processId: opened.body.processId });
  });

  it('when an interview or a case start is sent again with neither key nor reference, then the second is 409 naming the first; with any field changed it is a new process', async () => {
    const reason = uniqueId('sent twice');
    const first = await send('POST', '/api/v1/interviews', officer, interview(reason));
    expect(first.status).toBe(201);
    const second = await send('POST', '/api/v1/interviews', officer, interview(reason));
    expect(second.status).toBe(409);
    expect(second.body.error.details).toEqual({ processId: first.body.processId });
    const other = await send('POST', '/api/v1/interviews', officer, interview(`${reason}, another matter`));
    expect(other.status).toBe(201);
    expect(other.body.processId).not.toBe(first.body.processId);

    const caseBody = { subject: { side: 'pc', kind: 'team', orgId: 'futang-pc' }, grounds: ['14(8)'], source: 'petition', summary: uniqueId('case sent twice') };
    const opened = await send('POST', '/api/v1/cases', officer, caseBody);
    expect(opened.status).toBe(201);
    const twice = await send('POST', '/api/v1/cases', officer, caseBody);
    expect(twice.status).toBe(409);
    expect(twice.body.error.details).toEqual({ processId: opened.body.processId });
  });

  it('when a retried case start carries the key of a start whose answer was lost, then it names the same process (409), not a second one', async () => {
    const key = uniqueId('case-key');
    const body = { subject: { side: 'pc', kind: 'team', orgId: 'futang-pc' }, grounds: ['14(8)'], source: 'petition', summary: 'answer lost' };
    const first = await send('POST', '/api/v1/cases', officer, body, key);
    expect(first.status).toBe(201);
    // The stored answer is lost (as if the process died after starting): the retry runs again.
    await h.models.IdempotentResponse.deleteOne({ _id: idempotencyRecordId(officerPrincipal, key) });
    const retry = await send('POST', '/api/v1/cases', officer, body, key);
    expect(retry.status).toBe(409);
    expect(retry.body.error.details).toEqual({ processId: first.body.processId });
  });

  it('when ten document creations with one key arrive at once, then no 500, one document, and every 201 is that document', async () => {
    const key = uniqueId('doc-key');
    const title = uniqueId('Plan');
    const answers = await Promise.all(Array.from({ length: 10 }, () => send('POST', '/api/v1/documents', futangUnit, { title, kind: 'plan', content: 'the plan' }, key)));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    expect(await h.models.Document.countDocuments({ title })).toBe(1);
  });

  it('when ten signatures with one key arrive at once, then no 500 and one signature; a second leader under the same account name with the same key signs for himself', async () => {
    const doc = await send('POST', '/api/v1/documents', futangUnit, { title: uniqueId('Explanation'), kind: 'explanation', content: 'the explanation' });
    expect(doc.status).toBe(201);
    const path = `/api/v1/documents/${encodeURIComponent(doc.body.id)}/signatures`;
    // Development tokens name every leader of an organisation leader@<org>: only the person tells them apart.
    const pl = api.token({ sub: 'leader@futang-pc', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl' });
    const tm = api.token({ sub: 'leader@futang-pc', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-tm1' });
    const key = uniqueId('sign-key');
    const body = { version: 1, opinion: 'Read and endorsed.' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => send('POST', path, pl, body, key)));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.body.signatureId)).size).toBe(1);
    expect(await h.models.Signature.countDocuments({ documentId: doc.body.id })).toBe(1);

    const second = await send('POST', path, tm, body, key);
    expect(second.status).toBe(201);
    expect(second.body.signer.personId).toBe('p-futang-tm1');
    expect(await h.models.Signature.countDocuments({ documentId: doc.body.id })).toBe(2);
  });

  it('when the first attempt fails, then the key is free again: the retry runs and succeeds', async () => {
    const orgId = uniqueId('new-town');
    const key = uniqueId('doc-key');
    const body = { title: 'Founding plan', kind: 'plan', orgId, content: 'x' };
    const failed = await send('POST', '/api/v1/documents', admin, body, key);
    expect(failed.status).toBe(422);
    expect(await h.models.IdempotentResponse.countDocuments({ _id: idempotencyRecordId({ sub: 'acct-admin', role: 'admin', orgId: 'yiwu-pc' }, key) })).toBe(0);
    await h.models.Org.create({ _id: orgId, kind: 'pc', name: 'New town', nameZh: '新镇', parentId: 'yiwu-pc', path: ['jinhua-pc', 'yiwu-pc', orgId] });
    const retried = await send('POST', '/api/v1/documents', admin, body, key);
    expect(retried.status).toBe(201);
  });

  it('when a claim is held by a live request, then 409; when it was left by a crashed process and expired, then a new request takes it over', async () => {
    const key = uniqueId('crash-key');
    const body = interview('left by a crash');
    const _id = idempotencyRecordId(officerPrincipal, key);
    const fingerprint = requestFingerprint('POST', '/api/v1/interviews', body);
    const claim = { _id, fingerprint, state: 'running', token: 'crashed', createdAt: new Date() };
    await h.models.IdempotentResponse.create({ ...claim, expiresAt: new Date(Date.now() + CLAIM_TTL_MS) });
    const busy = await send('POST', '/api/v1/interviews', officer, body, key);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('idempotency_key_in_progress');

    await h.models.IdempotentResponse.updateOne({ _id }, { $set: { expiresAt: new Date(Date.now() - 1) } });
    const taken = await send('POST', '/api/v1/interviews', officer, body, key);
    expect(taken.status).toBe(201);
    const stored = await h.models.IdempotentResponse.findById(_id).lean<{ state: string; status: number }>();
    expect(stored).toMatchObject({ state: 'done', status: 201 });
  });
});
