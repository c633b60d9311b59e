import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { type TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('Documents and signed endorsements (签字背书, Art. 11(3), 12(1))', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let leaderA: string;
  let cityDicSupervisor: string;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    await h.models.Org.insertMany([
      { _id: 'city', kind: 'pc', name: 'Yiwu municipal PC', nameZh: '义乌市委', parentId: null, path: ['city'] },
      { _id: 'city-dic', kind: 'dic', name: 'Yiwu municipal DIC', nameZh: '义乌市纪委', parentId: 'city', path: ['city', 'city-dic'] },
      { _id: 'town-a', kind: 'pc', name: 'Town A PC', nameZh: '甲镇党委', parentId: 'city', path: ['city', 'town-a'] },
      { _id: 'town-b', kind: 'pc', name: 'Town B PC', nameZh: '乙镇党委', parentId: 'city', path: ['city', 'town-b'] },
    ]);
    await h.models.Person.insertMany([
      { _id: 'p-wang', name: 'Wang Wei', posts: [{ orgId: 'town-a', post: 'principalLeader' }], orgIds: ['town-a'] },
      { _id: 'p-li', name: 'Li Na', posts: [{ orgId: 'city-dic', post: 'dicSecretary' }], orgIds: ['city-dic'] },
    ]);
    unitA = api.token({ sub: 'acct-town-a', role: 'unit', orgId: 'town-a' });
    unitB = api.token({ sub: 'acct-town-b', role: 'unit', orgId: 'town-b' });
    leaderA = api.token({ sub: 'acct-wang', role: 'leader', orgId: 'town-a', personId: 'p-wang' });
    cityDicSupervisor = api.token({ sub: 'acct-li', role: 'supervisor', orgId: 'city-dic', personId: 'p-li' });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function createExplanation(content = 'Explanation of the late annual report.') {
    const res = await api.request('POST', '/api/v1/documents', {
      token: unitA,
      body: { title: 'Explanation', kind: 'explanation', content, processId: 'interview:town-a:1' },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; currentVersion: number; versions: Array<{ version: number; content: string; sha256: string }> };
  }

  async function sign(id: string, version: number, token = leaderA, signatureId?: string) {
    return api.request('POST', `/api/v1/documents/${id}/signatures`, {
      token,
      body: { version, opinion: 'Read and endorsed; the facts are as stated.', ...(signatureId ? { signatureId } : {}) },
    });
  }

  it('when a unit creates a document for its own org, then version 1 is stored with the SHA-256 of its content', async () => {
    const doc = await createExplanation('first text');
    expect(doc).toMatchObject({ kind: 'explanation', orgId: 'town-a', orgPath: ['city', 'town-a'], currentVersion: 1, processId: 'interview:town-a:1' });
    expect(doc.versions).toEqual([expect.objectContaining({ version: 1, content: 'first text', sha256: sha256('first text'), createdBy: 'acct-town-a' })]);
    const audit = await h.models.AuditEntry.find({ 'target.id': doc.id }).lean();
    expect(audit.map((e) => e.action)).toEqual(['document.create']);
  });

  it('when a unit creates a document for another org, then 403 and nothing is stored', async () => {
    const before = await h.models.Document.countDocuments();
    const res = await api.request('POST', '/api/v1/documents', { token: unitA, body: { title: 'x', kind: 'other', orgId: 'town-b', content: 'x' } });
    expect(res.status).toBe(403);
    expect(await h.models.Document.countDocuments()).toBe(before);
  });

  it('when a create is repeated with the same Idempotency-Key, then one document is created and the same answer given', async () => {
    const body = { title: 'Plan', kind: 'plan', content: 'the plan' };
    const headers = { 'idempotency-key': 'plan-2027-1' };
    const first = await api.request('POST', '/api/v1/documents', { token: unitA, body, headers });
    const second = await api.request('POST', '/api/v1/documents', { token: unitA, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await h.models.Document.countDocuments({ _id: first.body.id })).toBe(1);
  });

  it('when the leader signs the current version, then the signature records signer, post, opinion and hash, and matches both ways', async () => {
    const doc = await createExplanation('to be signed');
    const res = await sign(doc.id, 1);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      documentId: doc.id,
      version: 1,
      sha256: sha256('to be signed'),
      signer: { personId: 'p-wang', post: 'principalLeader', orgId: 'town-a', name: 'Wang Wei' },
      opinion: 'Read and endorsed; the facts are as stated.',
      status: { signedVersion: 1, currentVersion: 1, matchesSignedVersion: true, matchesCurrent: true },
    });
    expect(Number.isNaN(Date.parse(res.body.signedAt))).toBe(false);
  });

  it('when the document is edited after signing, then the signature reports matchesCurrent=false and matchesSignedVersion=true, and version 1 is unchanged', async () => {
    const doc = await createExplanation('signed text');
    expect((await sign(doc.id, 1)).status).toBe(201);

    const edit = await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: unitA, body: { content: 'edited text', baseVersion: 1 } });
    expect(edit.status).toBe(200);
    expect(edit.body.currentVersion).toBe(2);
    expect(edit.body.versions.map((v: { version: number; content: string }) => [v.version, v.content])).toEqual([
      [1, 'signed text'],
      [2, 'edited text'],
    ]);

    const sigs = await api.request('GET', `/api/v1/documents/${doc.id}/signatures`, { token: unitA });
    expect(sigs.status).toBe(200);
    expect(sigs.body.items).toHaveLength(1);
    expect(sigs.body.items[0].status).toEqual({ signedVersion: 1, currentVersion: 2, matchesSignedVersion: true, matchesCurrent: false });
  });

  it('when the signed content is tampered with directly in MongoDB (hash included), then matchesSignedVersion=false', async () => {
    const doc = await createExplanation('original content');
    expect((await sign(doc.id, 1)).status).toBe(201);

    await h.models.Document.collection.updateOne(
      { _id: doc.id as never },
      { $set: { 'versions.0.content': 'forged content', 'versions.0.sha256': sha256('forged content') } },
    );

    const sigs = await api.request('GET', `/api/v1/documents/${doc.id}/signatures`, { token: unitA });
    expect(sigs.body.items[0].status).toEqual({ signedVersion: 1, currentVersion: 1, matchesSignedVersion: false, matchesCurrent: false });
  });

  it('when a version is not the current one, then signing answers 409; when it does not exist, then 422; and no signature is stored', async () => {
    const doc = await createExplanation('v1');
    expect((await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: unitA, body: { content: 'v2', baseVersion: 1 } })).status).toBe(200);

    const stale = await sign(doc.id, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual({ currentVersion: 2 });
    const missing = await sign(doc.id, 7);
    expect(missing.status).toBe(422);
    expect(await h.models.Signature.countDocuments({ documentId: doc.id })).toBe(0);
  });

  it('when a signature is repeated with the same signatureId, then one signature is stored and the same one answered', async () => {
    const doc = await createExplanation('idempotent');
    const first = await sign(doc.id, 1, leaderA, 'sig-once');
    const second = await sign(doc.id, 1, leaderA, 'sig-once');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.signedAt).toBe(first.body.signedAt);
    expect(await h.models.Signature.countDocuments({ signatureId: 'sig-once' })).toBe(1);
    expect(await h.models.AuditEntry.countDocuments({ action: 'document.sign', 'target.id': doc.id })).toBe(1);
  });

  it('when a unit account or an account without a personId signs, then 403', async () => {
    const doc = await createExplanation('who signs');
    expect((await sign(doc.id, 1, unitA)).status).toBe(403);
    const noPerson = api.token({ sub: 'acct-x', role: 'leader', orgId: 'town-a' });
    expect((await sign(doc.id, 1, noPerson)).status).toBe(403);
    expect(await h.models.Signature.countDocuments({ documentId: doc.id })).toBe(0);
  });

  it('when an account outside the document\'s scope reads it or its signatures, then 404; the city DIC supervisor reads it', async () => {
    const doc = await createExplanation('scoped');
    expect((await api.request('GET', `/api/v1/documents/${doc.id}`, { token: unitB })).status).toBe(404);
    expect((await api.request('GET', `/api/v1/documents/${doc.id}/signatures`, { token: unitB })).status).toBe(404);
    expect((await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: unitB, body: { content: 'x', baseVersion: 1 } })).status).toBe(404);
    const read = await api.request('GET', `/api/v1/documents/${doc.id}`, { token: cityDicSupervisor });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(doc.id);
  });

  it('when the city DIC supervisor signs a town document in its remit, then the signature names the DIC post', async () => {
    const doc = await createExplanation('reviewed by the DIC secretary');
    const res = await sign(doc.id, 1, cityDicSupervisor);
    expect(res.status).toBe(201);
    expect(res.body.signer).toEqual({ personId: 'p-li', post: 'dicSecretary', orgId: 'city-dic', name: 'Li Na' });
  });

  it('when an account that may read but does not own the document edits it, then 403 and nothing changes', async () => {
    const doc = await createExplanation('owned by town A');
    const res = await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: cityDicSupervisor, body: { content: 'x', baseVersion: 1 } });
    expect(res.status).toBe(403);
    expect((await h.models.Document.findById(doc.id).lean())?.currentVersion).toBe(1);
  });

  it('when an edit names a stale baseVersion, then 409 and nothing changes', async () => {
    const doc = await createExplanation('v1');
    expect((await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: unitA, body: { content: 'v2', baseVersion: 1 } })).status).toBe(200);

    const stale = await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: unitA, body: { content: 'v2 from a stale copy', baseVersion: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual({ currentVersion: 2 });

    const after = await api.request('GET', `/api/v1/documents/${doc.id}`, { token: unitA });
    expect(after.body.currentVersion).toBe(2);
    expect(after.body.versions.map((v: { content: string }) => v.content)).toEqual(['v1', 'v2']);
    expect(await h.models.AuditEntry.countDocuments({ action: 'document.version', 'target.id': doc.id })).toBe(1);
  });

  it('when the same edit is retried, then one new version is written and the same answer given', async () => {
    const doc = await createExplanation('v1');
    const body = { content: 'v2', baseVersion: 1 };
    const first = await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: unitA, body });
    const retry = await api.request('PUT', `/api/v1/documents/${doc.id}`, { token: unitA, body });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.versions).toHaveLength(2);
  });

  it('when a document does not exist or the body is malformed, then 404 or 400', async () => {
    expect((await api.request('GET', '/api/v1/documents/nope', { token: unitA })).status).toBe(404);
    const bad = await api.request('POST', '/api/v1/documents', { token: unitA, body: { title: '', kind: 'poem', content: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
  });
});
