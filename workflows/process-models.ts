/**
 * Every process type's element model, in one list for the API and the diagrams. Each
 * process's `workflows/<name>.model.ts` is imported here and its model added to the list:
 * a process type missing here has no diagram and no element states the console can show.
 * Pure data: safe to import from workflow code.
 */
import type { ProcessModel } from '../domain/process-model.js';
import { interviewModel } from './interview.model.js';
import { accountabilityCaseModel } from './accountability-case.model.js';
import { disciplinaryCaseModel } from './disciplinary-case.model.js';
import { rectificationModel } from './rectification.model.js';
import { obligationCycleModel, obligationPeriodModel } from './obligation-cycle.model.js';

export const processModels: ProcessModel[] = [interviewModel, accountabilityCaseModel, disciplinaryCaseModel, rectificationModel, obligationCycleModel, obligationPeriodModel];

export function processModelOf(processType: string, models: readonly ProcessModel[] = processModels): ProcessModel | undefined {
  return models.find((m) => m.processType === processType);
}
