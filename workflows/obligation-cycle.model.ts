/**
 * Element models of the obligation cycle (issue 5): the long-lived cycle that opens one
 * period after another and continues as new, and the period process that holds a period's
 * tasks (records, the recipient's acceptance) and records met / met late / missed.
 */
import type { ProcessModel } from '../domain/process-model.js';

export const obligationCycleModel: ProcessModel = {
  processType: 'obligation-cycle',
  name: 'Obligation cycle',
  nameZh: '常规责任周期',
  elements: [
    { id: 'start', kind: 'startEvent', name: 'Enrolled', nameZh: '纳入' },
    { id: 'waitPeriodOpen', kind: 'serviceTask', name: 'Period opens (policy re-read)', nameZh: '周期开始（读取现行政策）' },
    { id: 'openPeriod', kind: 'callActivity', name: 'Run the period', nameZh: '执行本周期' },
    { id: 'nextPeriod', kind: 'endEvent', name: 'Continue with the next period', nameZh: '进入下一周期' },
    { id: 'left', kind: 'endEvent', name: 'Left (dissolved or withdrawn)', nameZh: '退出' },
  ],
  flows: [
    { id: 'f1', from: 'start', to: 'waitPeriodOpen' },
    { id: 'f2', from: 'waitPeriodOpen', to: 'openPeriod' },
    { id: 'f3', from: 'openPeriod', to: 'nextPeriod' },
    { id: 'f4', from: 'waitPeriodOpen', to: 'left', name: 'leave' },
  ],
};

export const obligationPeriodModel: ProcessModel = {
  processType: 'obligation-period',
  name: 'Obligation period',
  nameZh: '常规责任周期履行',
  elements: [
    { id: 'start', kind: 'startEvent', name: 'Period opens', nameZh: '周期开始' },
    { id: 'end', kind: 'endEvent', name: 'Period met', nameZh: '已履行' },
    { id: 'submitRecord', kind: 'userTask', name: 'Submit a record', nameZh: '提交履职记录' },
    {
      id: 'submitRecordDeadline',
      kind: 'boundaryTimerEvent',
      name: 'Due date passed: overdue, escalation ladder',
      nameZh: '逾期：督办、约谈、问责建议',
      attachedTo: 'submitRecord',
      interrupting: false,
      articles: ['12(1)', '14(2)', '15(1)'],
    },
    { id: 'recordMissed', kind: 'serviceTask', name: 'Record the period as missed', nameZh: '记录未履行' },
    { id: 'missedRecorded', kind: 'endEvent', name: 'Miss recorded (a late record is still taken)', nameZh: '未履行已记录' },
    { id: 'acceptRecord', kind: 'userTask', name: 'Recipient accepts or returns the record', nameZh: '接收单位审核' },
    { id: 'enoughRecords', kind: 'exclusiveGateway', name: 'Enough accepted records?', nameZh: '是否达到次数' },
    { id: 'recordResult', kind: 'serviceTask', name: 'Record met / met late', nameZh: '记录履行结果' },
  ],
  flows: [
    { id: 'p1', from: 'start', to: 'submitRecord' },
    { id: 'p2', from: 'submitRecord', to: 'acceptRecord', name: 'recipient must accept' },
    { id: 'p3', from: 'submitRecord', to: 'enoughRecords', name: 'no acceptance needed' },
    { id: 'p4', from: 'acceptRecord', to: 'enoughRecords', name: 'accepted' },
    { id: 'p5', from: 'acceptRecord', to: 'submitRecord', name: 'returned' },
    { id: 'p6', from: 'enoughRecords', to: 'submitRecord', name: 'fewer than required' },
    { id: 'p7', from: 'enoughRecords', to: 'recordResult', name: 'required count reached' },
    { id: 'p8', from: 'recordResult', to: 'end' },
    { id: 'p9', from: 'submitRecordDeadline', to: 'recordMissed' },
    { id: 'p10', from: 'recordMissed', to: 'missedRecorded' },
  ],
};
