/**
 * The interview process (约谈, Art. 12): one process type for every kind; a gateway after
 * the start chooses the kind's path (domain/accountability.ts INTERVIEW_KINDS). Element IDs
 * are the kinds' step IDs, so the workflow reports the step it is at by the same name.
 */
import { userTaskWithDeadline, type ProcessModel } from '../domain/process-model.js';

const task = userTaskWithDeadline;

export const interviewModel: ProcessModel = {
  processType: 'interview',
  name: 'Interview (Art. 12)',
  nameZh: '约谈提醒',
  elements: [
    { id: 'start', kind: 'startEvent', name: 'Interview opened', nameZh: '发起约谈' },
    { id: 'kindGateway', kind: 'exclusiveGateway', name: 'Kind of interview', nameZh: '约谈类型' },
    ...task('holdInterview', 'Hold the interview and record it', '约谈并记录', ['12']),
    ...task('writeExplanation', 'Write an explanation', '写出情况说明', ['12(1)']),
    ...task('endorseExplanation', 'Sign and endorse the explanation', '签字背书', ['12(1)']),
    ...task('returnToDic', 'Receive the endorsed explanation', '回复纪委', ['12(1)']),
    ...task('setRectificationDemands', 'Set the rectification demands', '提出整改要求', ['12(2)']),
    { id: 'openRectification', kind: 'callActivity', name: 'Open the rectification', nameZh: '启动整改', articles: ['12(2)'] },
    ...task('holdMeeting', 'Hold the special democratic-life meeting', '召开专题民主生活会', ['12(2)']),
    ...task('submitAnalysis', 'Submit the analysis and rectification measures', '专题剖析整改', ['12(2)']),
    ...task('reviewAnalysis', 'Review the analysis', '审阅剖析材料', ['12(2)']),
    { id: 'kindJoin', kind: 'exclusiveGateway', name: 'Interview done', nameZh: '约谈完成' },
    { id: 'end', kind: 'endEvent', name: 'Interview closed', nameZh: '约谈结束' },
  ],
  flows: [
    { id: 'fStart', from: 'start', to: 'kindGateway' },
    { id: 'fProblem', from: 'kindGateway', to: 'holdInterview', name: 'problem / talk / city DIC head' },
    { id: 'fMeeting', from: 'kindGateway', to: 'holdMeeting', name: 'special democratic-life meeting' },
    { id: 'fHoldToExplain', from: 'holdInterview', to: 'writeExplanation', name: 'problem interview' },
    { id: 'fExplainToEndorse', from: 'writeExplanation', to: 'endorseExplanation' },
    { id: 'fEndorseToReturn', from: 'endorseExplanation', to: 'returnToDic' },
    { id: 'fReturnToJoin', from: 'returnToDic', to: 'kindJoin' },
    { id: 'fHoldToDemands', from: 'holdInterview', to: 'setRectificationDemands', name: 'city DIC head interview' },
    { id: 'fDemandsToRectification', from: 'setRectificationDemands', to: 'openRectification' },
    { id: 'fRectificationToJoin', from: 'openRectification', to: 'kindJoin' },
    { id: 'fHoldToJoin', from: 'holdInterview', to: 'kindJoin', name: 'pre-appointment / admonishment talk' },
    { id: 'fMeetingToAnalysis', from: 'holdMeeting', to: 'submitAnalysis' },
    { id: 'fAnalysisToReview', from: 'submitAnalysis', to: 'reviewAnalysis' },
    { id: 'fReviewToJoin', from: 'reviewAnalysis', to: 'kindJoin' },
    { id: 'fEnd', from: 'kindJoin', to: 'end' },
  ],
};
