/** Small data sets and inputs shared by tests. */
import type { Models } from '../../models/index.js';
import type { Actor, TaskSpec } from '../../domain/tasks.js';
import type { ProcessIdentity } from '../../workflows/lib/process-runtime.js';
import { DEFAULT_ESCALATION, type EscalationPolicy } from '../../domain/escalation.js';
import { addDays, localDateOf } from '../../domain/calendar.js';
import { fileURLToPath } from 'node:url';

export const allWorkflowsPath = fileURLToPath(new URL('../fixtures/all-workflows.ts', import.meta.url));

/** A little tree: city PC → (city DIC, town A PC → town A DIC, town B PC → town B DIC). */
export const tree = {
  cityPc: { _id: 'city-pc', kind: 'pc', name: 'City PC', nameZh: '市委', parentId: null, path: ['city-pc'] },
  cityDic: { _id: 'city-dic', kind: 'dic', name: 'City DIC', nameZh: '市纪委', parentId: 'city-pc', path: ['city-pc', 'city-dic'] },
  townA: { _id: 'town-a-pc', kind: 'pc', name: 'Town A PC', nameZh: '甲镇党委', parentId: 'city-pc', path: ['city-pc', 'town-a-pc'] },
  townADic: { _id: 'town-a-dic', kind: 'dic', name: 'Town A DIC', nameZh: '甲镇纪委', parentId: 'town-a-pc', path: ['city-pc', 'town-a-pc', 'town-a-dic'] },
  townB: { _id: 'town-b-pc', kind: 'pc', name: 'Town B PC', nameZh: '乙镇党委', parentId: 'city-pc', path: ['city-pc', 'town-b-pc'] },
  townBDic: { _id: 'town-b-dic', kind: 'dic', name: 'Town B DIC', nameZh: '乙镇纪委', parentId: 'town-b-pc', path: ['city-pc', 'town-b-pc', 'town-b-dic'] },
} as const;

/** The people of the tree that `actors` name (a token's person must hold a post in its organisation). */
export const treePeople = [{ _id: 'p-co-city', name: 'City case officer', posts: [{ orgId: 'city-dic', post: 'caseOfficer' }], orgIds: ['city-dic'] }];

export async function loadTree(models: Models): Promise<void> {
  await models.Org.insertMany(Object.values(tree).map((o) => ({ ...o, path: [...o.path] })));
  await models.Person.insertMany(treePeople);
}

export const actors = {
  townAUnit: { sub: 'u-town-a', role: 'unit', orgId: tree.townA._id },
  townBUnit: { sub: 'u-town-b', role: 'unit', orgId: tree.townB._id },
  cityCaseOfficer: { sub: 'co-city', role: 'caseOfficer', orgId: tree.cityDic._id, personId: 'p-co-city' },
  citySupervisor: { sub: 'sv-city', role: 'supervisor', orgId: tree.cityDic._id },
  townASupervisor: { sub: 'sv-town-a', role: 'supervisor', orgId: tree.townADic._id },
  admin: { sub: 'admin', role: 'admin', orgId: tree.cityPc._id },
} satisfies Record<string, Actor>;

export function identity(overrides: Partial<ProcessIdentity> = {}): ProcessIdentity {
  return {
    processType: 'single-task',
    title: 'A test process',
    orgId: tree.townA._id,
    orgPath: [...tree.townA.path],
    startedBy: actors.cityCaseOfficer,
    issuerOrgId: tree.cityDic._id,
    ...overrides,
  };
}

/** Today's date in Shanghai, from the wall clock (tests only; workflows use workflow time). */
export const todayInShanghai = () => localDateOf(Date.now());

export function reportTask(dueDate: string, escalation: EscalationPolicy = DEFAULT_ESCALATION): TaskSpec {
  return {
    elementId: 'theTask',
    form: 'report',
    title: 'Submit the report',
    titleZh: '提交报告',
    assignee: { orgId: tree.townA._id, roles: ['unit'] },
    orgPath: [...tree.townA.path],
    dueDate,
    escalation,
    escalateTo: [tree.townADic._id],
    deciderOrgId: tree.cityDic._id,
  };
}

export const inDays = (days: number) => addDays(todayInShanghai(), days);
