import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dicOf,
  holderOf,
  pathFor,
  placementProblem,
  slugId,
  supervisingDicOf,
  upperDicOf,
  type OrgNode,
} from '../../domain/org-tree.js';
import { demoOrgDocuments, demoPersonDocuments, loadDemoData } from '../../data/load-demo.js';
import * as queries from '../../models/org-queries.js';
import { testModels } from '../support/services.js';

const demo = demoOrgDocuments();
const idOf = (node: OrgNode | undefined | null) => node?._id;

describe('org tree rules (pure)', () => {
  it('when an org is placed under a parent, then its path is the parent\'s path and its own ID', () => {
    expect(pathFor({ path: ['jinhua-pc', 'yiwu-pc'] }, 'futang-pc')).toEqual(['jinhua-pc', 'yiwu-pc', 'futang-pc']);
    expect(pathFor(null, 'jinhua-pc')).toEqual(['jinhua-pc']);
  });

  it('when a DIC is placed under anything but a PC, then the placement is refused', () => {
    expect(placementProblem('dic', { kind: 'pc' })).toBeNull();
    expect(placementProblem('dic', { kind: 'unit' })).toMatch(/party committee/);
    expect(placementProblem('dic', null)).toMatch(/root/);
  });

  it('when a root is not a PC, or anything is placed under a DIC, then the placement is refused', () => {
    expect(placementProblem('pc', null)).toBeNull();
    expect(placementProblem('unit', null)).toMatch(/root/);
    expect(placementProblem('unit', { kind: 'dic' })).toMatch(/under a discipline inspection commission/);
    expect(placementProblem('unit', { kind: 'pc' })).toBeNull();
    expect(placementProblem('pc', { kind: 'unit' })).toBeNull();
  });

  it('when an ID is generated from an English name, then it is a lowercase slug ending in the kind', () => {
    expect(slugId('Futang Town  Party Committee', 'pc')).toBe('futang-town-party-committee-pc');
    expect(slugId('  Café No.1 / Unit ', 'unit')).toBe('cafe-no-1-unit');
    expect(slugId('Tianxin Village', 'unit')).toBe('tianxin-village-unit');
    expect(slugId('佛堂镇党委', 'pc')).toBe('');
  });

  it('when the demo tree is built, then every DIC sits under a PC and every PC has exactly one DIC', () => {
    for (const dic of demo.filter((o) => o.kind === 'dic')) {
      expect(demo.find((o) => o._id === dic.parentId)?.kind, dic._id).toBe('pc');
    }
    for (const pc of demo.filter((o) => o.kind === 'pc')) {
      expect(demo.filter((o) => o.parentId === pc._id && o.kind === 'dic'), pc._id).toHaveLength(1);
    }
    const futang = demo.find((o) => o._id === 'futang-service-centre');
    expect(futang?.path).toEqual(['jinhua-pc', 'yiwu-pc', 'futang-pc', 'futang-service-centre']);
  });

  it('when a PC\'s DIC is asked for, then it is the DIC child, and a unit has none', () => {
    expect(idOf(dicOf(demo, 'futang-pc'))).toBe('futang-dic');
    expect(idOf(dicOf(demo, 'jinhua-pc'))).toBe('jinhua-dic');
    expect(dicOf(demo, 'futang-service-centre')).toBeUndefined();
  });

  it('when a PC\'s DIC is inactive, then it is not the DIC beside the PC', () => {
    const tree = demo.map((o) => (o._id === 'suxi-dic' ? { ...o, active: false } : o));
    expect(dicOf(tree, 'suxi-pc')).toBeUndefined();
  });

  it('Art. 11(2): when the upper-level DIC of a town or department PC is asked for, then it is the Yiwu city DIC', () => {
    for (const pc of ['choucheng-pc', 'futang-pc', 'suxi-pc', 'education-pc', 'health-pc']) {
      expect(idOf(upperDicOf(demo, pc)), pc).toBe('yiwu-dic');
    }
  });

  it('Art. 11(2): when the upper-level DIC of a DIC is asked for, then it is the DIC one level up', () => {
    expect(idOf(upperDicOf(demo, 'futang-dic'))).toBe('yiwu-dic');
    expect(idOf(upperDicOf(demo, 'yiwu-dic'))).toBe('jinhua-dic');
  });

  it('when the upper-level DIC of Yiwu city is asked for, then it is the Jinhua DIC, and Jinhua (the root) has none', () => {
    expect(idOf(upperDicOf(demo, 'yiwu-pc'))).toBe('jinhua-dic');
    expect(upperDicOf(demo, 'jinhua-pc')).toBeUndefined();
    expect(upperDicOf(demo, 'jinhua-dic')).toBeUndefined();
    expect(upperDicOf(demo, 'no-such-org')).toBeUndefined();
  });

  it('when the supervising DIC is asked for, then a PC gets its own DIC, a unit its PC\'s DIC and a DIC the upper DIC', () => {
    expect(idOf(supervisingDicOf(demo, 'futang-pc'))).toBe('futang-dic');
    expect(idOf(supervisingDicOf(demo, 'futang-service-centre'))).toBe('futang-dic');
    expect(idOf(supervisingDicOf(demo, 'yiwu-orgdept'))).toBe('yiwu-dic');
    expect(idOf(supervisingDicOf(demo, 'futang-dic'))).toBe('yiwu-dic');
    expect(idOf(supervisingDicOf(demo, 'yiwu-pc'))).toBe('yiwu-dic');
  });

  it('when the holder of a post is asked for, then the person with that post at that org answers', () => {
    const people = demoPersonDocuments();
    expect(holderOf(people, 'futang-pc', 'principalLeader')?._id).toBe('p-futang-pl');
    expect(holderOf(people, 'futang-dic', 'dicSecretary')?._id).toBe('p-futang-ds');
    expect(holderOf(people, 'futang-pc', 'dicSecretary')).toBeUndefined();
  });
});

describe('org tree queries on the demo data in the database', () => {
  let db: Awaited<ReturnType<typeof testModels>>;

  beforeAll(async () => {
    db = await testModels();
    await loadDemoData(db.models);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('when dicOf is asked for a PC, then its DIC comes back, and null for a unit', async () => {
    expect((await queries.dicOf(db.models, 'suxi-pc'))?._id).toBe('suxi-dic');
    expect(await queries.dicOf(db.models, 'futang-service-centre')).toBeNull();
  });

  it('Art. 11(2): when upperDicOf is asked for a town PC, its DIC and Yiwu city, then Yiwu DIC, Yiwu DIC and Jinhua DIC come back', async () => {
    expect((await queries.upperDicOf(db.models, 'futang-pc'))?._id).toBe('yiwu-dic');
    expect((await queries.upperDicOf(db.models, 'futang-dic'))?._id).toBe('yiwu-dic');
    expect((await queries.upperDicOf(db.models, 'yiwu-pc'))?._id).toBe('jinhua-dic');
    expect(await queries.upperDicOf(db.models, 'jinhua-pc')).toBeNull();
    expect(await queries.upperDicOf(db.models, 'no-such-org')).toBeNull();
  });

  it('when supervisingDicOf is asked for a unit, a department PC and a DIC, then the watching DIC of each comes back', async () => {
    expect((await queries.supervisingDicOf(db.models, 'futang-service-centre'))?._id).toBe('futang-dic');
    expect((await queries.supervisingDicOf(db.models, 'education-pc'))?._id).toBe('education-dic');
    expect((await queries.supervisingDicOf(db.models, 'education-dic'))?._id).toBe('yiwu-dic');
  });

  it('when principalLeaderOf is asked, then the principal leader comes back, and null where there is none', async () => {
    const pl = await queries.principalLeaderOf(db.models, 'futang-pc');
    expect(pl?._id).toBe('p-futang-pl');
    expect(pl?.name).toBe('朱国庆');
    expect((await queries.principalLeaderOf(db.models, 'futang-service-centre'))?._id).toBe('p-futang-service-centre-pl');
    expect(await queries.principalLeaderOf(db.models, 'futang-dic')).toBeNull();
  });
});
