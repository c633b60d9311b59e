/**
 * A task's context, a process's substance and its timeline as people read them: labelled
 * sections, lists and tables with names instead of IDs, never a JSON dump. A key with no
 * label here is left out rather than shown raw (the browser test fails on raw keys); a
 * process that adds context adds its labels here.
 */
import { h } from './dom.js';
import { lang, t } from './i18n.js';

type Row = Record<string, unknown>;
type Words = [zh: string, en: string];

/** How to name what the context refers to by ID. */
export interface Names {
  org(id: string): string;
  person(id: string): string;
  /** A case ground's text (`14(2)` → 第十四条第（二）项：…). */
  ground(code: string): string;
}

const say = (w: Words) => (lang() === 'en' ? w[1] : w[0]);

const labels: Record<string, Words> = {
  // rectification
  findings: ['反馈问题', 'Findings'],
  feedbackId: ['反馈文号', 'Feedback reference'],
  feedbackDate: ['反馈日期', 'Feedback date'],
  channel: ['反馈方式', 'Channel'],
  originalDueDate: ['原定报送期限', 'Original due date'],
  returnedWith: ['退回理由', 'Returned with'],
  plan: ['整改方案', 'Plan'],
  round: ['报送轮次', 'Round'],
  reportNumber: ['进展报告次数', 'Progress report no.'],
  openItems: ['未销号事项', 'Open items'],
  items: ['整改事项', 'Items'],
  reports: ['进展报告', 'Progress reports'],
  reopenings: ['重新整改', 'Reopenings'],
  closure: ['销号', 'Closure'],
  closedOn: ['销号日期', 'Closed on'],
  opinion: ['意见', 'Opinion'],
  stage: ['当前阶段', 'Stage'],
  issuingOrgId: ['反馈单位', 'Issuer'],
  targetOrgId: ['整改单位', 'Target'],
  reviewerOrgId: ['审核单位', 'Reviewer'],
  responsiblePerson: ['第一责任人', 'Responsible leader'],
  nextProgressReport: ['下次进展报告', 'Next progress report'],
  title: ['问题', 'Finding'],
  detail: ['具体情况', 'Detail'],
  findingId: ['反馈问题', 'Finding'],
  itemId: ['整改事项', 'Item'],
  measures: ['整改措施', 'Measures'],
  responsiblePersonId: ['责任人', 'Responsible'],
  responsibleName: ['责任人', 'Responsible'],
  targetDate: ['完成时限', 'Target date'],
  state: ['状态', 'State'],
  rectifiedInReport: ['销号于第几次报告', 'Rectified in report'],
  reopenedOn: ['重新整改日期', 'Reopened on'],
  number: ['次数', 'No.'],
  dueDate: ['期限', 'Due'],
  submittedOn: ['报送日期', 'Submitted on'],
  late: ['是否逾期', 'Late'],
  rectified: ['本次销号', 'Rectified'],
  itemIds: ['事项', 'Items'],
  on: ['日期', 'On'],
  note: ['备注', 'Note'],
  // interviews and cases
  interviewKind: ['约谈类型', 'Kind'],
  article: ['依据条款', 'Article'],
  subject: ['对象', 'Subject'],
  reason: ['事由', 'Reason'],
  orgId: ['单位', 'Organisation'],
  personId: ['人员', 'Person'],
  side: ['类别', 'Side'],
  kind: ['对象', 'Subject'],
  grounds: ['追责情形', 'Grounds'],
  summary: ['摘要', 'Summary'],
  evidence: ['调查材料', 'Evidence'],
  facts: ['认定事实', 'Facts'],
  determination: ['情节认定', 'Determination'],
  executions: ['执行情况', 'Executions'],
  sanctions: ['追责方式', 'Measures'],
  decision: ['追责决定', 'Decision'],
  reasoning: ['决定理由', 'Reasoning'],
  jointWithDic: ['与纪委共同组织处理', 'Jointly with the DIC'],
  demands: ['整改要求', 'Demands'],
  document: ['文件', 'Document'],
  documents: ['文件', 'Documents'],
  signatures: ['签字', 'Signatures'],
  version: ['版本', 'Version'],
  signer: ['签字人', 'Signed by'],
  signedAt: ['签字时间', 'Signed at'],
  // obligations
  code: ['责任事项', 'Duty'],
  articles: ['依据条款', 'Articles'],
  periodKey: ['期间', 'Period'],
  required: ['应报次数', 'Required'],
  accepted: ['已通过次数', 'Accepted'],
  record: ['报送材料', 'Record'],
  submittedLate: ['逾期报送', 'Submitted late'],
  requiredRectificationAccounts: ['须说明的整改事项', 'Rectifications to account for'],
  rectificationId: ['整改', 'Rectification'],
  account: ['整改情况', 'Account'],
  heldOn: ['召开日期', 'Held on'],
};

/** Machinery a reader has no use for. */
// Documents are shown as their text by the task page, not as references.
const hidden = new Set(['allowedSanctions', 'document', 'documents', 'taskId', 'k', 'orgPath', 'documentId', 'sha256', 'caseProcessId', 'produces', 'policy', 'dueAt', 'currentDueDate', 'submissions', 'progressCountedFrom', 'progressReportNumber', 'submittedBy', 'processId', 'signatureId']);

const valueNames: Record<string, Record<string, Words>> = {
  state: { open: ['未销号', 'open'], rectified: ['已销号', 'rectified'] },
  channel: { faceToFace: ['当面反馈', 'face to face'], written: ['书面反馈', 'written'], problemList: ['问题清单', 'problem list'] },
  stage: { plan: ['报送整改方案', 'plan'], review: ['审核整改方案', 'review'], progress: ['整改进展报告', 'progress'], closure: ['销号审核', 'closure'], closed: ['已销号', 'closed'] },
  interviewKind: {
    problemInterview: ['约谈提醒', 'problem interview'],
    preAppointmentTalk: ['任前廉政谈话', 'pre-appointment talk'],
    cityDicHeadInterview: ['市纪委负责人约谈', 'city DIC head interview'],
    specialDemocraticLifeMeeting: ['专题民主生活会', 'special democratic-life meeting'],
    admonishmentTalk: ['诫勉谈话', 'admonishment talk'],
  },
  side: { pc: ['党委（党组）方面', 'party committee'], dic: ['纪委方面', 'commission'] },
  kind: { team: ['领导班子', 'leadership team'], person: ['个人', 'a person'] },
  determination: { light: ['情节较轻', 'light'], heavier: ['情节较重', 'heavier'], severe: ['情节严重', 'severe'], noResponsibility: ['不予追究责任', 'no responsibility'] },
};

/** Every person ID the data names (in fields named `…PersonId` or `personId`), to look their names up. */
export function personIdsIn(data: unknown, key = ''): string[] {
  if (typeof data === 'string') return /PersonId$|^personId$/.test(key) ? [data] : [];
  if (Array.isArray(data)) return data.flatMap((x) => personIdsIn(x, key));
  if (data && typeof data === 'object') return Object.entries(data).flatMap(([k, v]) => personIdsIn(v, k));
  return [];
}

/**
 * Names of coded values a form's schema gives (`x-enum-names`, `x-choices`), registered by a
 * page that has read the form, so a process's substance names them as the form does.
 */
export function registerValueNames(key: string, names: Array<{ value: string; zh: string; en: string }>): void {
  valueNames[key] = Object.fromEntries(names.map((n) => [n.value, [n.zh, n.en] as Words]));
}

export const labelOf = (key: string): string | undefined => {
  const words = labels[key];
  return words ? say(words) : undefined;
};

const shown = (key: string) => !hidden.has(key) && labels[key] !== undefined;

const DIGITS = '〇一二三四五六七八九';

/** 1–99 in Chinese numerals (十二, 二十). */
function numeralZh(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : (DIGITS[tens] ?? '')}十${n % 10 ? (DIGITS[n % 10] ?? '') : ''}`;
}

/** An article as the Rules cite it: `12(1)` → 第十二条（一）. */
function articleZh(article: string): string {
  const m = /^(?:Art\. )?(\d+)(?:\((\d+)\))?$/.exec(article);
  if (!m) return article;
  return `第${numeralZh(Number(m[1]))}条${m[2] ? `（${numeralZh(Number(m[2]))}）` : ''}`;
}

/** One value as text or elements; `findings` lets a finding's ID read as its title. */
function value(key: string, v: unknown, names: Names, findings: Map<string, string>): Node | string {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    if (/OrgId$|^orgId$/.test(key)) return names.org(v);
    if (/PersonId$|^personId$/.test(key)) return names.person(v);
    if (key === 'findingId' || key === 'itemId' || key === 'itemIds' || key === 'rectified') return findings.get(v) ?? v;
    if (key === 'grounds') return names.ground(v);
    if (key === 'article' && lang() === 'zh') return articleZh(v);
    // An instant (…At) in Shanghai time, as every time on the console.
    if (/At$/.test(key) && !Number.isNaN(Date.parse(v))) return new Date(v).toLocaleString(lang() === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    const named = valueNames[key]?.[v];
    return named ? say(named) : v;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return t('nothing');
    if (v.every((x) => typeof x !== 'object' || x === null)) return h('ul', { class: 'plain' }, v.map((x) => h('li', {}, value(key, x, names, findings))));
    return table(v as Row[], names, findings);
  }
  if (typeof v === 'object') {
    const row = v as Row;
    // A person as the process keeps one: { personId, name } (a signer also with its post and organisation).
    if (typeof row.name === 'string' && typeof row.personId === 'string') return row.name;
    if (typeof row.name === 'string' && Object.keys(row).every((k) => k === 'name' || k === 'personId')) return row.name;
    // An object that only wraps a list (a plan's items) is the list.
    const keys = Object.keys(row).filter(shown);
    if (keys.length === 1 && Array.isArray(row[keys[0]!])) return value(keys[0]!, row[keys[0]!], names, findings);
    return facts(row, names, findings);
  }
  return '—';
}

function table(rows: Row[], names: Names, findings: Map<string, string>): HTMLElement {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(shown);
  // responsibleName and responsiblePersonId are one column for the reader; a row with its title needs no finding column.
  const cols = columns.filter(
    (c) => !(c === 'responsibleName' && columns.includes('responsiblePersonId')) && !((c === 'findingId' || c === 'itemId') && columns.includes('title')),
  );
  return h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', {}, labelOf(c) ?? '')))),
    h('tbody', {}, rows.map((r) => h('tr', {}, cols.map((c) => h('td', {},
      c === 'responsiblePersonId' && r[c] === undefined ? value('responsibleName', r.responsibleName, names, findings) : value(c, r[c], names, findings)))))));
}

function facts(row: Row, names: Names, findings: Map<string, string>): HTMLElement {
  return h('dl', { class: 'facts' }, Object.entries(row).filter(([k]) => shown(k)).flatMap(([k, v]) => [h('dt', {}, labelOf(k) ?? ''), h('dd', { 'data-key': k }, value(k, v, names, findings))]));
}

/** Finding and item IDs with their titles, from whatever of them the object carries. */
function titlesOf(data: Row): Map<string, string> {
  const map = new Map<string, string>();
  for (const key of ['findings', 'items', 'openItems']) {
    for (const f of (Array.isArray(data[key]) ? data[key] : []) as Row[]) {
      const id = (f.findingId ?? f.itemId) as string | undefined;
      if (id && typeof f.title === 'string') map.set(id, f.title);
    }
  }
  return map;
}

/**
 * The context of a task (or a process's details) as sections: lists and tables get a
 * heading of their own, plain facts go into one list at the top.
 */
export function readableSections(data: Row, names: Names, extraTitles: Map<string, string> = new Map()): HTMLElement[] {
  const findings = new Map([...extraTitles, ...titlesOf(data)]);
  const plain: Array<[string, unknown]> = [];
  const sections: HTMLElement[] = [];
  for (const [key, v] of Object.entries(data)) {
    if (!shown(key)) continue;
    // An object with nothing a reader would see (no executions yet) is no section.
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.keys(v).some(shown)) continue;
    const big = Array.isArray(v) ? v.some((x) => typeof x === 'object') : typeof v === 'object' && v !== null && !('name' in v);
    if (!big) {
      plain.push([key, v]);
      continue;
    }
    sections.push(h('section', { class: 'context-section', 'data-key': key }, h('h3', {}, labelOf(key) ?? ''), value(key, v, names, findings)));
  }
  const top = plain.length ? [h('dl', { class: 'facts context' }, plain.flatMap(([k, v]) => [h('dt', {}, labelOf(k) ?? ''), h('dd', { 'data-key': k }, value(k, v, names, findings))]))] : [];
  return [...top, ...sections];
}

// ---------------------------------------------------------------------------------------
// The timeline
// ---------------------------------------------------------------------------------------

export interface HistoryEntry {
  at: string;
  action: string;
  text: string;
  elementId?: string;
  actor: { kind: string; sub?: string; role?: string; orgId?: string; personId?: string };
  details?: Row;
}

const roleNames: Record<string, Words> = {
  unit: ['经办人', 'clerk'],
  leader: ['负责人', 'leader'],
  caseOfficer: ['纪检干部', 'case officer'],
  supervisor: ['监督人员', 'supervisor'],
  admin: ['管理员', 'administrator'],
};

const processTypeNames: Record<string, Words> = {
  rectification: ['整改', 'rectification'],
  interview: ['约谈', 'interview'],
  'accountability-case': ['责任追究', 'accountability case'],
  'disciplinary-case': ['纪律审查', 'disciplinary case'],
  'obligation-cycle': ['履责周期', 'obligation cycle'],
  'obligation-period': ['履责事项', 'obligation period'],
};

/** The process types a person can filter by, in the order of the Rules. */
export const PROCESS_TYPES = Object.keys(processTypeNames);

export function processTypeName(type: string): string {
  const words = processTypeNames[type];
  return words ? say(words) : type;
}

/** Who did it: the organisation by name, and the person or the account's role (the system when nobody). */
function whoDid(e: HistoryEntry, names: Names): string {
  if (e.actor.kind !== 'user') return lang() === 'en' ? 'the system' : '系统';
  const org = e.actor.orgId ? names.org(e.actor.orgId) : '';
  // The person by name where the account names one and the caller may see it; else the account's role.
  const person = e.actor.personId ? names.person(e.actor.personId) : '';
  if (person && person !== e.actor.personId) return `${org} ${person}`;
  const roleWords = e.actor.role ? roleNames[e.actor.role] : undefined;
  const role = roleWords ? say(roleWords) : '';
  return [org, role].filter(Boolean).join(' ');
}

/** One timeline line in Chinese, naming people and organisations; English keeps the API's text. */
export function timelineText(e: HistoryEntry, names: Names, findings: Map<string, string> = new Map()): string {
  if (lang() === 'en') return e.text;
  const d = e.details ?? {};
  const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const taskTitle = s(d.titleZh) || s(d.title);
  const who = whoDid(e, names);
  const itemTitles = (ids: unknown) => (Array.isArray(ids) ? ids.map((id) => findings.get(String(id)) ?? String(id)).join('、') : '');
  switch (e.action) {
    case 'process.started':
      return `${who} 发起${processTypeName(s(d.processType))}`;
    case 'process.completed':
      return '流程办结';
    case 'process.cancelled':
      return `${who} 撤销流程：${s(d.reason)}`;
    case 'task.opened':
      return `待办「${taskTitle}」交 ${names.org(s((d.assignee as Row | undefined)?.orgId))} 办理，期限 ${s(d.dueDate)}`;
    case 'task.completed':
      return `${who} 完成${taskTitle ? `「${taskTitle}」` : '待办'}${d.late ? `（逾期，原期限 ${s(d.dueDate)}）` : ''}`;
    case 'task.reminded':
      return `提醒：距期限 ${s(d.dueDate)} 还有 ${s(d.daysBefore)} 天`;
    case 'task.overdue':
      return `已逾期（期限 ${s(d.dueDate)}），已通知承办单位及监督纪委`;
    case 'task.escalated':
      return `逾期 ${s(d.afterDaysOverdue)} 天，升级第 ${s(d.level)} 级：${d.action === 'proposeInterview' ? '建议约谈' : d.action === 'proposeCase' ? '建议责任追究' : '通知上级'}`;
    case 'task.cancelled':
      return `待办已取消：${s(d.reason)}`;
    case 'rectification.planSubmitted':
      return `第 ${s(d.round)} 轮整改方案已报送${d.late ? '（逾期）' : ''}`;
    case 'rectification.planAccepted':
      return `${who} 同意整改方案，进展报告自 ${s(d.progressCountedFrom)} 起算`;
    case 'rectification.planReturned':
      return `${who} 退回整改方案：${s(d.reasons)}；重新报送期限 ${s(d.resubmitBy)}`;
    case 'rectification.reopened':
      return `${who} 要求重新整改：${itemTitles(d.itemIds)}；下次报告期限 ${s(d.nextReportDue)}`;
    case 'interview.endorsed':
      return `${who} 签字背书（第 ${s(d.version)} 版）`;
    case 'interview.rectificationOpened':
      return '已提出整改要求并发起整改';
    case 'case.decided':
      return `${who} 作出责任追究决定`;
    case 'obligation.missed':
      return '本期责任事项未按期完成';
    default:
      return e.text;
  }
}
