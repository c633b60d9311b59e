/**
 * A demo organisation tree shaped like Yiwu (Art. 2): Jinhua above (the upper-level DIC
 * of Yiwu itself), the Yiwu city PC and DIC, the organisation department, three
 * towns/streets and two departments each with a PC and its DIC, and one subordinate unit.
 * IDs are stable and readable so that examples, tokens and tests can name them. The
 * people are fictional.
 */
import type { OrgKind } from '../models/org.js';
import type { Post } from '../models/person.js';

type Category = 'city' | 'town' | 'department' | 'enterprise' | 'institution' | 'other';

export interface DemoOrg {
  id: string;
  kind: OrgKind;
  category: Category;
  name: string;
  nameZh: string;
  parentId: string | null;
}

export interface DemoPerson {
  id: string;
  name: string;
  posts: Array<{ orgId: string; post: Post; title: string }>;
}

interface Level {
  /** ID prefix: `<prefix>-pc`, `<prefix>-dic`, `p-<prefix>-pl` … */
  prefix: string;
  parentId: string | null;
  category: Category;
  pc: { name: string; nameZh: string };
  dic: { name: string; nameZh: string };
  principalLeader: [name: string, title: string];
  teamMembers: [[name: string, title: string], [name: string, title: string]];
  dicSecretary: [name: string, title: string];
  caseOfficer: [name: string, title: string];
}

/** A PC with its DIC beside it, its principal leader, two team members, the DIC secretary and a case officer. */
function level(l: Level): { orgs: DemoOrg[]; people: DemoPerson[] } {
  const pcId = `${l.prefix}-pc`;
  const dicId = `${l.prefix}-dic`;
  const person = (suffix: string, [name, title]: [string, string], orgId: string, post: Post): DemoPerson => ({
    id: `p-${l.prefix}-${suffix}`,
    name,
    posts: [{ orgId, post, title }],
  });
  return {
    orgs: [
      { id: pcId, kind: 'pc', category: l.category, parentId: l.parentId, ...l.pc },
      { id: dicId, kind: 'dic', category: l.category, parentId: pcId, ...l.dic },
    ],
    people: [
      person('pl', l.principalLeader, pcId, 'principalLeader'),
      person('tm1', l.teamMembers[0], pcId, 'teamMember'),
      person('tm2', l.teamMembers[1], pcId, 'teamMember'),
      person('ds', l.dicSecretary, dicId, 'dicSecretary'),
      person('co', l.caseOfficer, dicId, 'caseOfficer'),
    ],
  };
}

const levels = [
  level({
    prefix: 'jinhua',
    parentId: null,
    category: 'city',
    pc: { name: 'Jinhua Municipal Party Committee', nameZh: '中共金华市委' },
    dic: { name: 'Jinhua Municipal Commission for Discipline Inspection', nameZh: '金华市纪委' },
    principalLeader: ['郑国华', '市委书记'],
    teamMembers: [
      ['沈建明', '市委副书记'],
      ['钱立群', '市委常委'],
    ],
    dicSecretary: ['何志远', '市纪委书记'],
    caseOfficer: ['俞晓燕', '市纪委案件审理室主任'],
  }),
  level({
    prefix: 'yiwu',
    parentId: 'jinhua-pc',
    category: 'city',
    pc: { name: 'Yiwu Municipal Party Committee', nameZh: '中共义乌市委' },
    dic: { name: 'Yiwu Municipal Commission for Discipline Inspection', nameZh: '义乌市纪委' },
    principalLeader: ['王建平', '市委书记'],
    teamMembers: [
      ['陈卫东', '市委副书记'],
      ['楼海燕', '市委常委、宣传部部长'],
    ],
    dicSecretary: ['吴晓军', '市纪委书记'],
    caseOfficer: ['金丽娟', '市纪委第一纪检监察室主任'],
  }),
  level({
    prefix: 'choucheng',
    parentId: 'yiwu-pc',
    category: 'town',
    pc: { name: 'Choucheng Subdistrict Party Working Committee', nameZh: '稠城街道党工委' },
    dic: { name: 'Choucheng Subdistrict Discipline Inspection Working Committee', nameZh: '稠城街道纪工委' },
    principalLeader: ['傅伟明', '街道党工委书记'],
    teamMembers: [
      ['朱晓红', '街道党工委副书记、办事处主任'],
      ['龚建华', '街道党工委委员'],
    ],
    dicSecretary: ['丁美芳', '街道纪工委书记'],
    caseOfficer: ['毛俊杰', '街道纪工委干部'],
  }),
  level({
    prefix: 'futang',
    parentId: 'yiwu-pc',
    category: 'town',
    pc: { name: 'Futang Town Party Committee', nameZh: '佛堂镇党委' },
    dic: { name: 'Futang Town Commission for Discipline Inspection', nameZh: '佛堂镇纪委' },
    principalLeader: ['朱国庆', '镇党委书记'],
    teamMembers: [
      ['吴丽萍', '镇党委副书记、镇长'],
      ['陈志强', '镇党委委员'],
    ],
    dicSecretary: ['楼建新', '镇纪委书记'],
    caseOfficer: ['何佳琪', '镇纪委干部'],
  }),
  level({
    prefix: 'suxi',
    parentId: 'yiwu-pc',
    category: 'town',
    pc: { name: 'Suxi Town Party Committee', nameZh: '苏溪镇党委' },
    dic: { name: 'Suxi Town Commission for Discipline Inspection', nameZh: '苏溪镇纪委' },
    principalLeader: ['金伟军', '镇党委书记'],
    teamMembers: [
      ['贾永红', '镇党委副书记、镇长'],
      ['鲍明辉', '镇党委副书记'],
    ],
    dicSecretary: ['冯晓东', '镇纪委书记'],
    caseOfficer: ['杨静', '镇纪委干部'],
  }),
  level({
    prefix: 'education',
    parentId: 'yiwu-pc',
    category: 'department',
    pc: { name: 'Yiwu Education Bureau Party Committee', nameZh: '市教育局党委' },
    dic: { name: 'Yiwu Education Bureau Commission for Discipline Inspection', nameZh: '市教育局纪委' },
    principalLeader: ['方志华', '局党委书记、局长'],
    teamMembers: [
      ['施红英', '局党委委员、副局长'],
      ['胡建军', '局党委委员、副局长'],
    ],
    dicSecretary: ['蒋丽华', '局纪委书记'],
    caseOfficer: ['叶晨', '局纪委干部'],
  }),
  level({
    prefix: 'health',
    parentId: 'yiwu-pc',
    category: 'department',
    pc: { name: 'Yiwu Health Commission Party Committee', nameZh: '市卫健局党委' },
    dic: { name: 'Yiwu Health Commission Commission for Discipline Inspection', nameZh: '市卫健局纪委' },
    principalLeader: ['周海明', '局党委书记、局长'],
    teamMembers: [
      ['应晓梅', '局党委委员、副局长'],
      ['宗国平', '局党委委员、副局长'],
    ],
    dicSecretary: ['柳志勇', '局纪委书记'],
    caseOfficer: ['潘慧', '局纪委干部'],
  }),
];

export const DEMO_ORGS: readonly DemoOrg[] = [
  ...levels.flatMap((l) => l.orgs),
  {
    id: 'yiwu-orgdept',
    kind: 'orgDept',
    category: 'city',
    name: 'Organisation Department of the Yiwu Municipal Party Committee',
    nameZh: '中共义乌市委组织部',
    parentId: 'yiwu-pc',
  },
  {
    id: 'futang-service-centre',
    kind: 'unit',
    category: 'institution',
    name: 'Futang Town Public Service Centre',
    nameZh: '佛堂镇便民服务中心',
    parentId: 'futang-pc',
  },
];

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  ...levels.flatMap((l) => l.people),
  { id: 'p-yiwu-orgdept-head', name: '骆志刚', posts: [{ orgId: 'yiwu-orgdept', post: 'orgDeptHead', title: '市委常委、组织部部长' }] },
  {
    id: 'p-futang-service-centre-pl',
    name: '季文斌',
    posts: [{ orgId: 'futang-service-centre', post: 'principalLeader', title: '中心主任' }],
  },
];
