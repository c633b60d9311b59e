/** Chinese by default; English on request. Keys missing in English fall back to Chinese. */
export type Lang = 'zh' | 'en';

const zh = {
  appTitle: '两个责任 · 工作流控制台',
  inbox: '待办',
  start: '发起',
  dashboard: '监督看板',
  search: '流程查询',
  signOut: '退出',
  signIn: '登录',
  tokenLabel: '访问令牌（JWT）',
  tokenHint: '粘贴管理员签发的令牌（npm run token）。',
  loading: '加载中…',
  nothing: '暂无记录',
  due: '截止',
  overdue: '已逾期',
  dueSoon: '即将到期',
  late: '逾期完成',
  open: '办理中',
  completed: '已完成',
  cancelled: '已取消',
  running: '运行中',
  failed: '失败',
  task: '任务',
  process: '流程',
  processType: '流程类型',
  org: '单位',
  status: '状态',
  submit: '提交',
  submitted: '已提交',
  add: '添加',
  remove: '删除',
  yes: '是',
  form: '表单',
  openProcess: '查看流程',
  escalationLevel: '升级级别',
  timeline: '办理记录',
  diagram: '流程图',
  temporalUi: '在 Temporal 界面中查看',
  openTasks: '待办任务',
  startedAt: '发起时间',
  endedAt: '结束时间',
  counts: '统计',
  openCount: '待办任务',
  runningProcesses: '运行中流程',
  dueThisWeek: '本周到期',
  overdueCount: '已逾期',
  escalatedCount: '已升级',
  overdueByOrg: '各单位逾期数',
  oldestOverdue: '逾期最久的任务',
  notAvailable: '该功能的接口尚未提供',
  startRectification: '发起整改',
  startInterview: '发起约谈',
  startCase: '立案',
  started: '已发起',
  filter: '查询',
  all: '全部',
  total: '共',
  prev: '上一页',
  next: '下一页',
  active: '进行中',
  done: '已完成',
  legend: '图例',
  error: '出错了',
  forbidden: '无权访问',
  role: '角色',
  lang: 'English',
  title: '标题',
  assignee: '承办单位',
  startedRange: '发起日期',
  dueRange: '截止日期',
};

const en: Partial<Record<keyof typeof zh, string>> = {
  appTitle: 'Two responsibilities · Workflow console',
  inbox: 'Inbox',
  start: 'Start',
  dashboard: 'Dashboard',
  search: 'Processes',
  signOut: 'Sign out',
  signIn: 'Sign in',
  tokenLabel: 'Access token (JWT)',
  tokenHint: 'Paste a token issued by an administrator (npm run token).',
  loading: 'Loading…',
  nothing: 'Nothing here',
  due: 'Due',
  overdue: 'Overdue',
  dueSoon: 'Due soon',
  late: 'Completed late',
  open: 'Open',
  completed: 'Completed',
  cancelled: 'Cancelled',
  running: 'Running',
  failed: 'Failed',
  task: 'Task',
  process: 'Process',
  processType: 'Process type',
  org: 'Organisation',
  status: 'Status',
  submit: 'Submit',
  submitted: 'Submitted',
  add: 'Add',
  remove: 'Remove',
  yes: 'Yes',
  form: 'Form',
  openProcess: 'Open process',
  escalationLevel: 'Escalation level',
  timeline: 'Timeline',
  diagram: 'Diagram',
  temporalUi: 'Open in the Temporal UI',
  openTasks: 'Open tasks',
  startedAt: 'Started',
  endedAt: 'Ended',
  counts: 'Counts',
  openCount: 'Open tasks',
  runningProcesses: 'Running processes',
  dueThisWeek: 'Due this week',
  overdueCount: 'Overdue',
  escalatedCount: 'Escalated',
  overdueByOrg: 'Overdue by organisation',
  oldestOverdue: 'Oldest overdue tasks',
  notAvailable: 'This feature\'s endpoint is not available yet',
  startRectification: 'Start a rectification',
  startInterview: 'Start an interview',
  startCase: 'Open a case',
  started: 'Started',
  filter: 'Search',
  all: 'All',
  total: 'Total',
  prev: 'Previous',
  next: 'Next',
  active: 'Active',
  done: 'Done',
  legend: 'Legend',
  error: 'Error',
  forbidden: 'Not allowed',
  role: 'Role',
  lang: '中文',
  title: 'Title',
  assignee: 'Assignee',
  startedRange: 'Started',
  dueRange: 'Due',
};

export type Key = keyof typeof zh;

export function lang(): Lang {
  return localStorage.getItem('lang') === 'en' ? 'en' : 'zh';
}

export function setLang(next: Lang): void {
  localStorage.setItem('lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

export function t(key: Key): string {
  return lang() === 'en' ? (en[key] ?? zh[key]) : zh[key];
}

/** Picks the Chinese or English name of something that has both. */
export function named(o: { name?: string; nameZh?: string; title?: string; titleZh?: string }): string {
  return lang() === 'zh' ? (o.nameZh ?? o.titleZh ?? o.name ?? o.title ?? '') : (o.name ?? o.title ?? o.nameZh ?? o.titleZh ?? '');
}

/** A status word in the current language, or the raw status when it has none. */
export function statusText(status: string): string {
  return status in zh ? t(status as Key) : status;
}
