/** The DIC's disciplinary case procedure (Art. 17), run as a child of an accountability case. */
import { userTaskWithDeadline, type ProcessModel } from '../domain/process-model.js';

export const disciplinaryCaseModel: ProcessModel = {
  processType: 'disciplinary-case',
  name: 'Disciplinary case (Art. 17)',
  nameZh: '纪律审查',
  elements: [
    { id: 'start', kind: 'startEvent', name: 'Referred by the accountability case', nameZh: '责任追究移送' },
    ...userTaskWithDeadline('fileCase', 'File the case', '立案', ['17']),
    ...userTaskWithDeadline('investigate', 'Investigate', '调查', ['17']),
    ...userTaskWithDeadline('decideSanction', 'Decide the disciplinary sanction', '审理并作出处分决定', ['16', '17']),
    { id: 'end', kind: 'endEvent', name: 'Sanction decided', nameZh: '处分决定' },
  ],
  flows: [
    { id: 'fStart', from: 'start', to: 'fileCase' },
    { id: 'fFileToInvestigate', from: 'fileCase', to: 'investigate' },
    { id: 'fInvestigateToDecide', from: 'investigate', to: 'decideSanction' },
    { id: 'fEnd', from: 'decideSanction', to: 'end' },
  ],
};
