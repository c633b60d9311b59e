/** The DIC's disciplinary case procedure (Art. 17), run as a child of an accountability case. */
import type { ProcessModel } from '../domain/process-model.js';

export const disciplinaryCaseModel: ProcessModel = {
  processType: 'disciplinary-case',
  name: 'Disciplinary case (Art. 17)',
  nameZh: '纪律审查',
  elements: [
    { id: 'start', kind: 'startEvent', name: 'Referred by the accountability case', nameZh: '责任追究移送' },
    { id: 'fileCase', kind: 'userTask', name: 'File the case', nameZh: '立案', articles: ['17'] },
    { id: 'fileCaseDeadline', kind: 'boundaryTimerEvent', name: 'Filing deadline', nameZh: '立案期限', attachedTo: 'fileCase', interrupting: false },
    { id: 'investigate', kind: 'userTask', name: 'Investigate', nameZh: '调查', articles: ['17'] },
    { id: 'investigateDeadline', kind: 'boundaryTimerEvent', name: 'Investigation deadline', nameZh: '调查期限', attachedTo: 'investigate', interrupting: false },
    { id: 'decideSanction', kind: 'userTask', name: 'Decide the disciplinary sanction', nameZh: '审理并作出处分决定', articles: ['16', '17'] },
    { id: 'decideSanctionDeadline', kind: 'boundaryTimerEvent', name: 'Decision deadline', nameZh: '处分决定期限', attachedTo: 'decideSanction', interrupting: false },
    { id: 'end', kind: 'endEvent', name: 'Sanction decided', nameZh: '处分决定' },
  ],
  flows: [
    { id: 'fStart', from: 'start', to: 'fileCase' },
    { id: 'fFileToInvestigate', from: 'fileCase', to: 'investigate' },
    { id: 'fInvestigateToDecide', from: 'investigate', to: 'decideSanction' },
    { id: 'fEnd', from: 'decideSanction', to: 'end' },
  ],
};
