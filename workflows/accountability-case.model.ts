/**
 * The accountability case (责任追究, Art. 14–17): fact-finding, determination, decision
 * against the Art. 16 table, routing per Art. 17 (a parallel split over the measures
 * decided), execution tracking, closure.
 */
import { userTaskWithDeadline, type ProcessModel } from '../domain/process-model.js';

const task = userTaskWithDeadline;

export const accountabilityCaseModel: ProcessModel = {
  processType: 'accountability-case',
  name: 'Accountability case (Art. 14–17)',
  nameZh: '责任追究',
  elements: [
    { id: 'start', kind: 'startEvent', name: 'Case opened', nameZh: '立案' },
    ...task('submitEvidence', 'Fact-finding: submit evidence', '调查取证：提交材料', ['17']),
    ...task('determine', 'Determine the facts and severity', '认定事实与情节', ['14', '15', '16']),
    ...task('decide', 'Decide the measures (Art. 16)', '作出责任追究决定', ['16']),
    { id: 'routeSplit', kind: 'parallelGateway', name: 'Route per Art. 17', nameZh: '按第十七条分送' },
    { id: 'disciplinaryCase', kind: 'callActivity', name: 'Disciplinary case procedure', nameZh: '纪律审查程序', articles: ['17'] },
    ...task('orgHandling', 'Organisational handling', '组织处理', ['17']),
    ...task('writtenSelfExamination', 'Written self-examination', '书面检查', ['16']),
    { id: 'admonishmentTalk', kind: 'callActivity', name: 'Admonishment talk (Art. 12(3))', nameZh: '诫勉谈话', articles: ['12(3)', '16'] },
    ...task('criticismEducationTalk', 'Criticism and education', '批评教育', ['16']),
    ...task('circulation', 'Circulated criticism', '通报批评', ['16']),
    ...task('judicialTransfer', 'Transfer to the judicial organs', '移送司法机关', ['16']),
    { id: 'routeJoin', kind: 'parallelGateway', name: 'Measures carried out', nameZh: '执行完毕' },
    { id: 'recordOutcome', kind: 'serviceTask', name: 'Keep the outcome on the record (Art. 13(3))', nameZh: '记入考核档案', articles: ['13(3)'] },
    ...task('closeCase', 'Close the case', '结案', ['17']),
    { id: 'end', kind: 'endEvent', name: 'Case closed', nameZh: '结案' },
  ],
  flows: [
    { id: 'fStart', from: 'start', to: 'submitEvidence' },
    { id: 'fEvidenceToDetermine', from: 'submitEvidence', to: 'determine' },
    { id: 'fDetermineToDecide', from: 'determine', to: 'decide' },
    { id: 'fDecideToRecord', from: 'decide', to: 'recordOutcome' },
    { id: 'fRecordToSplit', from: 'recordOutcome', to: 'routeSplit' },
    { id: 'fSplitDisciplinary', from: 'routeSplit', to: 'disciplinaryCase', name: 'disciplinary sanction' },
    { id: 'fSplitOrgDept', from: 'routeSplit', to: 'orgHandling', name: 'organisational handling' },
    { id: 'fSplitSelfExamination', from: 'routeSplit', to: 'writtenSelfExamination', name: 'written self-examination' },
    { id: 'fSplitAdmonishment', from: 'routeSplit', to: 'admonishmentTalk', name: 'admonishment talk' },
    { id: 'fSplitCriticism', from: 'routeSplit', to: 'criticismEducationTalk', name: 'criticism and education' },
    { id: 'fSplitCirculation', from: 'routeSplit', to: 'circulation', name: 'circulated criticism' },
    { id: 'fSplitJudicial', from: 'routeSplit', to: 'judicialTransfer', name: 'transfer to the judicial organs' },
    { id: 'fDisciplinaryJoin', from: 'disciplinaryCase', to: 'routeJoin' },
    { id: 'fOrgDeptJoin', from: 'orgHandling', to: 'routeJoin' },
    { id: 'fSelfExaminationJoin', from: 'writtenSelfExamination', to: 'routeJoin' },
    { id: 'fAdmonishmentJoin', from: 'admonishmentTalk', to: 'routeJoin' },
    { id: 'fCriticismJoin', from: 'criticismEducationTalk', to: 'routeJoin' },
    { id: 'fCirculationJoin', from: 'circulation', to: 'routeJoin' },
    { id: 'fJudicialJoin', from: 'judicialTransfer', to: 'routeJoin' },
    { id: 'fJoinToClose', from: 'routeJoin', to: 'closeCase' },
    { id: 'fEnd', from: 'closeCase', to: 'end' },
  ],
};
