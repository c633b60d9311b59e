import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi } from '../support/app.js';
import { loadDemoData } from '../../data/load-demo.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

describe('people API', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let admin: string;
  let yiwuSupervisor: string;
  let futangUnit: string;
  let suxiUnit: string;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    await loadDemoData(h.models);
    admin = api.token({ sub: 'admin-1', role: 'admin', orgId: 'yiwu-pc' });
    yiwuSupervisor = api.token({ sub: 'sup-1', role: 'supervisor', orgId: 'yiwu-dic' });
    futangUnit = api.token({ sub: 'unit-1', role: 'unit', orgId: 'futang-pc' });
    suxiUnit = api.token({ sub: 'unit-2', role: 'unit', orgId: 'suxi-pc' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((p) => p.id).sort();
  const peopleCount = () => h.models.Person.countDocuments({});

  it('when an administrator creates a person with posts at two organisations, then both posts and orgIds are stored and the change is audited', async () => {
    const res = await api.request('POST', '/api/v1/people', {
      token: admin,
      body: {
        id: 'p-suxi-tm3',
        name: '黄晓峰',
        posts: [
          { orgId: 'suxi-pc', post: 'teamMember', title: '镇党委委员', since: '2015-04-16' },
          { orgId: 'yiwu-orgdept', post: 'staff' },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: 'p-suxi-tm3',
      name: '黄晓峰',
      posts: [
        { orgId: 'suxi-pc', post: 'teamMember', title: '镇党委委员', since: '2015-04-16' },
        { orgId: 'yiwu-orgdept', post: 'staff' },
      ],
      orgIds: ['suxi-pc', 'yiwu-orgdept'],
    });
    const stored = await h.models.Person.findById('p-suxi-tm3').lean();
    expect(stored?.orgIds).toEqual(['suxi-pc', 'yiwu-orgdept']);
    const audit = await h.models.AuditEntry.findOne({ action: 'person.create', 'target.id': 'p-suxi-tm3' }).lean();
    expect(audit).toMatchObject({ outcome: 'ok', orgId: 'suxi-pc', actor: { sub: 'admin-1' } });
  });

  it('when a unit reads a person who also holds a post elsewhere, then only the post at its own organisation is shown', async () => {
    const res = await api.request('GET', '/api/v1/people/p-suxi-tm3', { token: suxiUnit });
    expect(res.status).toBe(200);
    expect(res.body.posts).toEqual([{ orgId: 'suxi-pc', post: 'teamMember', title: '镇党委委员', since: '2015-04-16' }]);
    expect(res.body.orgIds).toEqual(['suxi-pc']);
  });

  it('when a unit reads a person with no post it may see, then 404', async () => {
    expect((await api.request('GET', '/api/v1/people/p-suxi-tm3', { token: futangUnit })).status).toBe(404);
    expect((await api.request('GET', '/api/v1/people/p-futang-ds', { token: futangUnit })).status).toBe(404);
    expect((await api.request('GET', '/api/v1/people/p-futang-pl', { token: futangUnit })).status).toBe(200);
  });

  it('when a supervisor at the Yiwu DIC reads a Jinhua leader, then 404 exactly as for nobody', async () => {
    const hidden = await api.request('GET', '/api/v1/people/p-jinhua-pl', { token: yiwuSupervisor });
    const absent = await api.request('GET', '/api/v1/people/p-nobody', { token: yiwuSupervisor });
    expect(hidden.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(hidden.body.error.message.replace('p-jinhua-pl', 'X')).toBe(absent.body.error.message.replace('p-nobody', 'X'));
  });

  it('when a unit lists people, then only those with a post at its own organisation come back', async () => {
    const res = await api.request('GET', '/api/v1/people', { token: futangUnit });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['p-futang-pl', 'p-futang-tm1', 'p-futang-tm2']);
    expect(res.body.total).toBe(3);
  });

  it('when a supervisor lists principal leaders, then every one in the Yiwu subtree comes back and not Jinhua\'s', async () => {
    const res = await api.request('GET', '/api/v1/people?post=principalLeader&limit=200', { token: yiwuSupervisor });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([
      'p-choucheng-pl',
      'p-education-pl',
      'p-futang-pl',
      'p-futang-service-centre-pl',
      'p-health-pl',
      'p-suxi-pl',
      'p-yiwu-pl',
    ]);
  });

  it('when people are filtered by organisation and post, then the post must be held at that organisation', async () => {
    const teamAtOrgDept = await api.request('GET', '/api/v1/people?orgId=yiwu-orgdept&post=teamMember', { token: admin });
    expect(ids(teamAtOrgDept.body)).toEqual([]);
    const atOrgDept = await api.request('GET', '/api/v1/people?orgId=yiwu-orgdept', { token: admin });
    expect(ids(atOrgDept.body)).toEqual(['p-suxi-tm3', 'p-yiwu-orgdept-head']);
    const secretary = await api.request('GET', '/api/v1/people?orgId=futang-dic&post=dicSecretary', { token: yiwuSupervisor });
    expect(secretary.body.items).toMatchObject([{ id: 'p-futang-ds', name: '楼建新' }]);
  });

  it('when a unit filters by an organisation outside its scope, then nothing comes back', async () => {
    const res = await api.request('GET', '/api/v1/people?orgId=suxi-pc', { token: futangUnit });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });

  it('when a non-administrator creates a person, then 403 and nothing is added', async () => {
    const before = await peopleCount();
    for (const token of [yiwuSupervisor, futangUnit]) {
      const res = await api.request('POST', '/api/v1/people', { token, body: { name: '某人', posts: [{ orgId: 'futang-pc', post: 'staff' }] } });
      expect(res.status).toBe(403);
    }
    expect(await peopleCount()).toBe(before);
  });

  it('when the body is malformed, then 400 with the zod issues and nothing is added', async () => {
    const before = await peopleCount();
    const res = await api.request('POST', '/api/v1/people', {
      token: admin,
      body: {
        name: ' ',
        posts: [{ orgId: 'futang-pc', post: 'mayor', since: '2015-02-30' }],
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((i: { path: Array<string | number> }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'posts.0.post', 'posts.0.since']));
    expect(await peopleCount()).toBe(before);
  });

  it('when the same post at the same organisation is listed twice, then 400 pointing at the repeat', async () => {
    const res = await api.request('POST', '/api/v1/people', {
      token: admin,
      body: { name: '某人', posts: [{ orgId: 'futang-pc', post: 'staff' }, { orgId: 'futang-pc', post: 'staff' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject([{ path: ['posts', 1] }]);
  });

  it('when a post names an organisation that does not exist, then 422 naming it and nothing is added', async () => {
    const before = await peopleCount();
    const res = await api.request('POST', '/api/v1/people', {
      token: admin,
      body: { name: '某人', posts: [{ orgId: 'futang-pc', post: 'staff' }, { orgId: 'no-such-org', post: 'staff' }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual({ missing: ['no-such-org'] });
    expect(await peopleCount()).toBe(before);
  });

  it('when a DIC post is given at a party committee, then 422', async () => {
    const res = await api.request('POST', '/api/v1/people', { token: admin, body: { name: '某人', posts: [{ orgId: 'futang-pc', post: 'dicSecretary' }] } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ orgId: 'futang-pc', post: 'dicSecretary', kind: 'pc' });
  });

  it('when an organisation already has a principal leader and a second is created, then 409 and nothing is added', async () => {
    const before = await peopleCount();
    const res = await api.request('POST', '/api/v1/people', {
      token: admin,
      body: { name: '某人', posts: [{ orgId: 'futang-pc', post: 'principalLeader' }] },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([{ orgId: 'futang-pc', post: 'principalLeader', heldBy: 'p-futang-pl' }]);
    expect(await peopleCount()).toBe(before);
  });

  it('when a person ID is already taken, then 409 and the stored person is unchanged', async () => {
    const res = await api.request('POST', '/api/v1/people', {
      token: admin,
      body: { id: 'p-futang-pl', name: '冒名', posts: [{ orgId: 'suxi-pc', post: 'staff' }] },
    });
    expect(res.status).toBe(409);
    const stored = await h.models.Person.findById('p-futang-pl').lean();
    expect(stored?.name).toBe('朱国庆');
    expect(stored?.orgIds).toEqual(['futang-pc']);
  });

  it('when no ID is given, then one is generated and the person can be read back', async () => {
    const res = await api.request('POST', '/api/v1/people', { token: admin, body: { name: '邵红梅', posts: [{ orgId: 'futang-service-centre', post: 'staff' }] } });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^p-[0-9a-f]{10}$/);
    const read = await api.request('GET', `/api/v1/people/${res.body.id}`, { token: yiwuSupervisor });
    expect(read.body).toMatchObject({ name: '邵红梅', orgIds: ['futang-service-centre'] });
  });
});
