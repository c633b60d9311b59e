/**
 * The API's errors in the reader's language. The API keeps its codes stable
 * (`error.code`, and `details.reason` where a 422 says which check refused); the console
 * says them in Chinese here, and shows the API's own English message only in English.
 */
import { ApiFailure } from './api.js';
import { lang } from './i18n.js';

const byCode: Record<string, [zh: string, en: string]> = {
  invalid_input: ['填写的内容不符合要求，请按提示修改', 'Some fields do not fit: see the marks'],
  unauthorized: ['登录已失效，请重新登录', 'Your sign-in has expired: please sign in again'],
  forbidden: ['无权办理此事项', 'This account may not do this'],
  not_found: ['未找到该记录（可能已被删除或无权查看）', 'Not found (or not visible to this account)'],
  conflict: ['该事项已办理或已存在，请刷新后查看', 'Already done or already exists: reload to see it'],
  payload_too_large: ['提交的内容过大', 'What was sent is too large'],
  unprocessable: ['不符合办理规则', 'This breaks a rule of the process'],
  unavailable: ['服务暂时不可用，请稍后再试', 'A service is unavailable: try again later'],
  internal: ['系统出错，请稍后再试或联系管理员', 'Internal error: try again later'],
};

const byReason: Record<string, string> = {
  personNotInOrg: '所选人员不在该单位任职，请重新选择',
  orgNotFound: '所选单位不存在，请重新选择',
  targetNotPc: '整改单位须为党委（党组）',
  issuerNotPcOrDic: '反馈单位须为党委或纪委',
  issuerNotAboveTarget: '反馈单位须为整改单位的上级',
  dateInFuture: '日期不能晚于今天',
};

/** Rules of the processes, recognised in the API's English message (422s without a reason). */
const byMessage: Array<[RegExp, string]> = [
  [/does not cover finding/, '整改方案须逐项回应每个反馈问题'],
  [/already rectified/, '该事项已整改销号'],
  [/Art\. 16/, '所选追责方式不符合第十六条对该情节的规定'],
  [/Art\. 14|Art\. 15/, '追责情形与对象类别不符（第十四条、第十五条）'],
  [/outside this commission's remit/, '该单位不在本纪委监督范围内'],
  [/already exists|already started|already running/, '该流程已发起（同一单位、同一文号只能发起一次），请勿重复提交'],
];

export function errorText(err: unknown): string {
  if (!(err instanceof ApiFailure)) return lang() === 'en' ? String(err) : `出错了：${String(err)}`;
  if (lang() === 'en') return `${err.status}: ${err.message}`;
  const reason = (err.details as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string' && byReason[reason]) return byReason[reason];
  const known = byMessage.find(([pattern]) => pattern.test(err.message));
  if (known && (err.status === 422 || err.status === 409)) return known[1];
  return byCode[err.code]?.[0] ?? `出错了（${err.status}）`;
}
