import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testModels } from '../support/services.js';
import { type TestApi } from '../support/app.js';
import { DEMO_ORGS, DEMO_PEOPLE } from '../../data/demo-yiwu.js';
import { demoPersonDocuments, loadDemoData } from '../../data/load-demo.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

describe('organisations API', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let admin: string;
  let yiwuSupervisor: string;
  let futangUnit: string;
  let futangCaseOfficer: string;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    await loadDemoData(h.models);
    admin = api.token({ sub: 'admin-1', role: 'admin', orgId: 'yiwu-pc' });
    yiwuSupervisor = api.token({ sub: 'sup-1', role: 'supervisor', orgId: 'yiwu-dic' });
    futangUnit = api.token({ sub: 'unit-1', role: 'unit', orgId: 'futang-pc' });
    futangCaseOfficer = api.token({ sub: 'co-1', role: 'caseOfficer', orgId: 'futang-dic', personId: 'p-futang-co' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((o) => o.id).sort();
  const orgCount = () => h.models.Org.countDocuments({});

  it('when there is no token, then listing organisations answers 401', async () => {
    const res = await api.request('GET', '/api/v1/orgs');
    expect(res.status).toBe(401);
  });

  it('when a supervisor at the Yiwu DIC lists organisations, then the whole Yiwu subtree comes back and nothing of Jinhua', async () => {
    const res = await api.request('GET', '/api/v1/orgs?limit=200', { token: yiwuSupervisor });
    expect(res.status).toBe(200);
    const expected = DEMO_ORGS.filter((o) => !o.id.startsWith('jinhua-')).map((o) => o.id);
    expect(ids(res.body)).toEqual(expect.arrayContaining(expected));
    expect(ids(res.body)).not.toContain('jinhua-dic');
    expect(ids(res.body)).not.toContain('jinhua-pc');
    expect(res.body.total).toBe(res.body.items.length);
    const futang = res.body.items.find((o: { id: string }) => o.id === 'futang-service-centre');
    expect(futang).toMatchObject({ kind: 'unit', parentId: 'futang-pc', path: ['jinhua-pc', 'yiwu-pc', 'futang-pc', 'futang-service-centre'] });
  });

  it('when a supervisor at the Yiwu DIC reads the Jinhua DIC, then 404 exactly as for an organisation that does not exist', async () => {
    const hidden = await api.request('GET', '/api/v1/orgs/jinhua-dic', { token: yiwuSupervisor });
    const absent = await api.request('GET', '/api/v1/orgs/no-such-org', { token: yiwuSupervisor });
    expect(hidden.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(hidden.body.error.code).toBe(absent.body.error.code);
    expect(hidden.body.error.message.replace('jinhua-dic', 'X')).toBe(absent.body.error.message.replace('no-such-org', 'X'));
  });

  it('when a unit token lists organisations, then only its own organisation comes back', async () => {
    const res = await api.request('GET', '/api/v1/orgs', { token: futangUnit });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1, items: [{ id: 'futang-pc', nameZh: '佛堂镇党委' }] });
  });

  it('when a unit reads its own organisation, then 200; its DIC or a child unit, then 404', async () => {
    expect((await api.request('GET', '/api/v1/orgs/futang-pc', { token: futangUnit })).status).toBe(200);
    expect((await api.request('GET', '/api/v1/orgs/futang-dic', { token: futangUnit })).status).toBe(404);
    expect((await api.request('GET', '/api/v1/orgs/futang-service-centre', { token: futangUnit })).status).toBe(404);
  });

  it('when a case officer at the Futang DIC lists organisations, then the Futang subtree comes back', async () => {
    const res = await api.request('GET', '/api/v1/orgs', { token: futangCaseOfficer });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['futang-dic', 'futang-pc', 'futang-service-centre']);
  });

  it('when the list is filtered by kind, parent and subtree, then only matching organisations come back', async () => {
    const dics = await api.request('GET', '/api/v1/orgs?kind=dic&subtreeOf=yiwu-pc', { token: admin });
    expect(ids(dics.body)).toEqual(['choucheng-dic', 'education-dic', 'futang-dic', 'health-dic', 'suxi-dic', 'yiwu-dic']);
    const children = await api.request('GET', '/api/v1/orgs?parentId=futang-pc', { token: admin });
    expect(ids(children.body)).toEqual(['futang-dic', 'futang-service-centre']);
    // A filter never widens the caller's scope.
    const outside = await api.request('GET', '/api/v1/orgs?subtreeOf=jinhua-pc&kind=dic', { token: yiwuSupervisor });
    expect(ids(outside.body)).not.toContain('jinhua-dic');
  });

  it('when the list is paged, then pages do not overlap and carry the same total', async () => {
    const first = await api.request('GET', '/api/v1/orgs?subtreeOf=yiwu-pc&limit=5&offset=0', { token: admin });
    const second = await api.request('GET', '/api/v1/orgs?subtreeOf=yiwu-pc&limit=5&offset=5', { token: admin });
    expect(first.body.items).toHaveLength(5);
    expect(second.body.total).toBe(first.body.total);
    expect(ids(first.body).filter((id) => ids(second.body).includes(id))).toEqual([]);
  });

  it('when the query is malformed, then 400 with the zod issues', async () => {
    const res = await api.request('GET', '/api/v1/orgs?kind=ministry&limit=0', { token: admin });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['kind', 'limit']);
  });

  it('when an administrator creates a PC and its DIC, then both are stored with paths from the parent, readable in scope, and audited', async () => {
    const pc = await api.request('POST', '/api/v1/orgs', {
      token: admin,
      body: { id: 'niansanli-pc', kind: 'pc', category: 'town', name: 'Niansanli Subdistrict Party Working Committee', nameZh: '廿三里街道党工委', parentId: 'yiwu-pc' },
    });
    expect(pc.status).toBe(201);
    expect(pc.body).toMatchObject({ id: 'niansanli-pc', kind: 'pc', category: 'town', parentId: 'yiwu-pc', path: ['jinhua-pc', 'yiwu-pc', 'niansanli-pc'], active: true });
    const dic = await api.request('POST', '/api/v1/orgs', {
      token: admin,
      body: { id: 'niansanli-dic', kind: 'dic', category: 'town', name: 'Niansanli Subdistrict Discipline Inspection Working Committee', nameZh: '廿三里街道纪工委', parentId: 'niansanli-pc' },
    });
    expect(dic.status).toBe(201);
    expect(dic.body.path).toEqual(['jinhua-pc', 'yiwu-pc', 'niansanli-pc', 'niansanli-dic']);

    const seen = await api.request('GET', '/api/v1/orgs/niansanli-dic', { token: yiwuSupervisor });
    expect(seen.status).toBe(200);

    const audit = await h.models.AuditEntry.find({ action: 'org.create', 'target.id': { $in: ['niansanli-pc', 'niansanli-dic'] } }).lean();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ outcome: 'ok', actor: { kind: 'user', sub: 'admin-1', role: 'admin' } });
  });

  it('when a PC already has a DIC and a second one is created under it, then 409 and nothing is added', async () => {
    const before = await orgCount();
    const res = await api.request('POST', '/api/v1/orgs', {
      token: admin,
      body: { id: 'futang-dic-2', kind: 'dic', category: 'town', name: 'Second Futang DIC', nameZh: '佛堂镇纪委二', parentId: 'futang-pc' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ dicId: 'futang-dic' });
    expect(await orgCount()).toBe(before);
  });

  it('when no ID is given, then a readable one is made from the name and kind, numbered when taken', async () => {
    const body = { kind: 'unit', category: 'institution', name: 'Futang Town Cultural Station', nameZh: '佛堂镇文化站', parentId: 'futang-pc' };
    const first = await api.request('POST', '/api/v1/orgs', { token: admin, body });
    const second = await api.request('POST', '/api/v1/orgs', { token: admin, body });
    expect(first.status).toBe(201);
    expect(first.body.id).toBe('futang-town-cultural-station-unit');
    expect(second.body.id).toBe('futang-town-cultural-station-unit-2');
  });

  it('when the same creation is sent twice with one Idempotency-Key, then the first answer comes back and one organisation and one audit entry exist', async () => {
    const before = await orgCount();
    const body = { kind: 'unit', category: 'institution', name: 'Suxi Town Agricultural Office', nameZh: '苏溪镇农业办', parentId: 'suxi-pc' };
    const headers = { 'idempotency-key': 'create-suxi-agri-1' };
    const first = await api.request('POST', '/api/v1/orgs', { token: admin, body, headers });
    const second = await api.request('POST', '/api/v1/orgs', { token: admin, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await orgCount()).toBe(before + 1);
    expect(await h.models.AuditEntry.countDocuments({ action: 'org.create', 'target.id': first.body.id })).toBe(1);
  });

  it('when a supervisor or a unit tries to create an organisation, then 403 and nothing is added', async () => {
    const before = await orgCount();
    const body = { id: 'x-pc', kind: 'pc', category: 'town', name: 'X', nameZh: 'X', parentId: 'yiwu-pc' };
    for (const token of [yiwuSupervisor, futangUnit, futangCaseOfficer]) {
      const res = await api.request('POST', '/api/v1/orgs', { token, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(await orgCount()).toBe(before);
  });

  it('when the body is malformed, then 400 with the zod issues and nothing is added', async () => {
    const before = await orgCount();
    const res = await api.request('POST', '/api/v1/orgs', {
      token: admin,
      body: { id: 'bad id:with colon', kind: 'ministry', name: '', parentId: 'yiwu-pc', colour: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    const paths = res.body.error.details.map((i: { path: string[] }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['id', 'kind', 'name', 'nameZh']));
    expect(res.body.error.details.some((i: { code: string }) => i.code === 'unrecognized_keys')).toBe(true);
    expect(await orgCount()).toBe(before);
  });

  it('when the parent does not exist, then 422 naming it and nothing is added', async () => {
    const before = await orgCount();
    const res = await api.request('POST', '/api/v1/orgs', {
      token: admin,
      body: { id: 'orphan-pc', kind: 'pc', category: 'town', name: 'Orphan', nameZh: '孤儿', parentId: 'no-such-pc' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: { parentId: 'no-such-pc' } });
    expect(await orgCount()).toBe(before);
  });

  it('when a DIC is placed under a unit, or a unit is made a root, then 422', async () => {
    const dicUnderUnit = await api.request('POST', '/api/v1/orgs', {
      token: admin,
      body: { kind: 'dic', name: 'Centre DIC', nameZh: '中心纪委', parentId: 'futang-service-centre' },
    });
    expect(dicUnderUnit.status).toBe(422);
    expect(dicUnderUnit.body.error.message).toMatch(/party committee/);
    const unitRoot = await api.request('POST', '/api/v1/orgs', { token: admin, body: { kind: 'unit', name: 'Loose', nameZh: '散', parentId: null } });
    expect(unitRoot.status).toBe(422);
  });

  it('when an organisation ID is already taken, then 409 and the stored organisation is unchanged', async () => {
    const before = await orgCount();
    const res = await api.request('POST', '/api/v1/orgs', {
      token: admin,
      body: { id: 'futang-pc', kind: 'pc', category: 'department', name: 'Impostor', nameZh: '冒名', parentId: 'yiwu-pc' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    const stored = await api.request('GET', '/api/v1/orgs/futang-pc', { token: admin });
    expect(stored.body).toMatchObject({ name: 'Futang Town Party Committee', nameZh: '佛堂镇党委', category: 'town' });
    expect(await orgCount()).toBe(before);
  });

  it('when the OpenAPI document is read, then it describes the organisation and people routes', async () => {
    const res = await api.request('GET', '/api/v1/openapi.json');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/orgs', '/api/v1/orgs/{id}', '/api/v1/people', '/api/v1/people/{id}']));
    expect(res.body.paths['/api/v1/orgs'].post.responses['422']).toBeDefined();
  });
});

describe('demo data loader', () => {
  let db: Awaited<ReturnType<typeof testModels>>;

  beforeAll(async () => {
    db = await testModels();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('when the demo is loaded twice, then it is created once', async () => {
    const first = await loadDemoData(db.models);
    const second = await loadDemoData(db.models);
    expect(first).toEqual({ created: true, orgs: DEMO_ORGS.length, people: DEMO_PEOPLE.length });
    expect(second.created).toBe(false);
    expect(await db.models.Org.countDocuments({})).toBe(DEMO_ORGS.length);
    expect(await db.models.Person.countDocuments({})).toBe(DEMO_PEOPLE.length);
  });

  it('when organisations already exist, then the demo is not mixed in', async () => {
    const other = await testModels();
    try {
      await other.models.Org.create({ _id: 'own-root', kind: 'pc', name: 'Own', nameZh: '自有', path: ['own-root'] });
      expect((await loadDemoData(other.models)).created).toBe(false);
      expect(await other.models.Org.countDocuments({})).toBe(1);
      expect(await other.models.Person.countDocuments({})).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('when an earlier load stopped after some people, then the next load completes it', async () => {
    const other = await testModels();
    try {
      await other.models.Person.insertMany(demoPersonDocuments().slice(0, 3));
      expect((await loadDemoData(other.models)).created).toBe(true);
      expect(await other.models.Person.countDocuments({})).toBe(DEMO_PEOPLE.length);
      expect(await other.models.Org.countDocuments({})).toBe(DEMO_ORGS.length);
    } finally {
      await other.close();
    }
  });

  it('when the demo is loaded, then it has Jinhua above Yiwu, three towns and two departments each with a PC, a DIC and their people', async () => {
    const orgs = await db.models.Org.find({}).lean();
    const byId = new Map(orgs.map((o) => [o._id, o]));
    expect(byId.get('jinhua-pc')?.parentId).toBeNull();
    expect(byId.get('yiwu-pc')?.parentId).toBe('jinhua-pc');
    expect(byId.get('yiwu-orgdept')?.kind).toBe('orgDept');
    const towns = orgs.filter((o) => o.kind === 'pc' && o.category === 'town');
    const departments = orgs.filter((o) => o.kind === 'pc' && o.category === 'department');
    expect(towns.length).toBeGreaterThanOrEqual(3);
    expect(departments.length).toBeGreaterThanOrEqual(2);
    const people = await db.models.Person.find({}).lean();
    const holders = (orgId: string, post: string) => people.filter((p) => p.posts.some((x) => x.orgId === orgId && x.post === post)).length;
    for (const pc of orgs.filter((o) => o.kind === 'pc')) {
      const dicId = pc._id.replace(/-pc$/, '-dic');
      expect(byId.get(dicId)?.parentId, pc._id).toBe(pc._id);
      expect(holders(pc._id, 'principalLeader'), pc._id).toBe(1);
      expect(holders(pc._id, 'teamMember'), pc._id).toBe(2);
      expect(holders(dicId, 'dicSecretary'), dicId).toBe(1);
      expect(holders(dicId, 'caseOfficer'), dicId).toBe(1);
    }
    expect(orgs.some((o) => o.kind === 'unit' && byId.get(o.parentId ?? '')?.category === 'town')).toBe(true);
  });
});
