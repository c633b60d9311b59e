/**
 * The element model of a rectification (整改, Art. 6(12), 11(2)): plan, review by the
 * upper-level DIC (returned plans go back), the progress-report loop, closure (reopened
 * items go back into the loop), and the account owed in the next annual report. Element
 * IDs are stable: the workflow reports them and the diagram draws them.
 */
import type { ProcessModel } from '../domain/process-model.js';

export const RECTIFICATION_PROCESS_TYPE = 'rectification';

export const rectificationModel: ProcessModel = {
  processType: RECTIFICATION_PROCESS_TYPE,
  name: 'Rectification',
  nameZh: '整改',
  elements: [
    { id: 'start', kind: 'startEvent', name: 'Feedback given', nameZh: '反馈意见下达', articles: ['6(12)'] },
    { id: 'planTask', kind: 'userTask', name: 'Submit the rectification plan', nameZh: '报送整改方案', articles: ['6(12)'] },
    { id: 'planDeadline', kind: 'boundaryTimerEvent', name: 'Plan due (1 month)', nameZh: '整改方案期限（1个月）', attachedTo: 'planTask', interrupting: false, articles: ['6(12)'] },
    { id: 'reviewTask', kind: 'userTask', name: 'Review the plan (upper-level DIC)', nameZh: '上级纪委审核整改方案', articles: ['11(2)'] },
    { id: 'reviewDeadline', kind: 'boundaryTimerEvent', name: 'Review due', nameZh: '审核期限', attachedTo: 'reviewTask', interrupting: false },
    { id: 'reviewGateway', kind: 'exclusiveGateway', name: 'Plan accepted?', nameZh: '方案是否通过' },
    { id: 'progressTask', kind: 'userTask', name: 'Report progress (every 3 months)', nameZh: '报送整改进展（每3个月）', articles: ['6(12)'] },
    { id: 'progressDeadline', kind: 'boundaryTimerEvent', name: 'Progress report due', nameZh: '进展报告期限', attachedTo: 'progressTask', interrupting: false, articles: ['6(12)'] },
    { id: 'rectifiedGateway', kind: 'exclusiveGateway', name: 'Every item rectified?', nameZh: '是否全部整改到位' },
    { id: 'closureTask', kind: 'userTask', name: 'Confirm closure or reopen items (upper-level DIC)', nameZh: '上级纪委整改销号', articles: ['11(2)'] },
    { id: 'closureDeadline', kind: 'boundaryTimerEvent', name: 'Closure review due', nameZh: '销号审核期限', attachedTo: 'closureTask', interrupting: false },
    { id: 'closureGateway', kind: 'exclusiveGateway', name: 'Closed?', nameZh: '是否销号' },
    {
      id: 'recordAnnualAccount',
      kind: 'serviceTask',
      name: 'Require a full account in the next annual report',
      nameZh: '列入年度报告整改情况',
      articles: ['6(12)', '10(1)'],
    },
    { id: 'end', kind: 'endEvent', name: 'Rectification closed', nameZh: '整改完成' },
  ],
  flows: [
    { id: 'flowStartToPlan', from: 'start', to: 'planTask' },
    { id: 'flowPlanToReview', from: 'planTask', to: 'reviewTask' },
    { id: 'flowReviewToGateway', from: 'reviewTask', to: 'reviewGateway' },
    { id: 'flowAccepted', from: 'reviewGateway', to: 'progressTask', name: 'accepted' },
    { id: 'flowReturned', from: 'reviewGateway', to: 'planTask', name: 'returned' },
    { id: 'flowProgressToGateway', from: 'progressTask', to: 'rectifiedGateway' },
    { id: 'flowItemsOpen', from: 'rectifiedGateway', to: 'progressTask', name: 'items open' },
    { id: 'flowAllRectified', from: 'rectifiedGateway', to: 'closureTask', name: 'all rectified' },
    { id: 'flowClosureToGateway', from: 'closureTask', to: 'closureGateway' },
    { id: 'flowReopened', from: 'closureGateway', to: 'progressTask', name: 'reopened' },
    { id: 'flowClosed', from: 'closureGateway', to: 'recordAnnualAccount', name: 'closed' },
    { id: 'flowRecordToEnd', from: 'recordAnnualAccount', to: 'end' },
  ],
};
