/**
 * The DIC's disciplinary case procedure (Art. 17): a party or government disciplinary
 * sanction decided in an accountability case is carried out here, as a child workflow of
 * the case. The case officers file and investigate; the DIC's supervisors (its
 * leadership) decide the sanction.
 */
import { addDays, localDateOf } from '../domain/calendar.js';
import type { CasePolicy } from '../domain/case/policy.js';
import { dueDaysOf } from '../domain/step-deadlines.js';
import type { TaskSpec } from '../domain/tasks.js';
import { ProcessRuntime, runProcess, type ProcessIdentity } from './lib/process-runtime.js';
import { disciplinaryCaseModel } from './disciplinary-case.model.js';

export interface DisciplinaryCaseInput {
  identity: ProcessIdentity;
  caseProcessId: string;
  dic: { orgId: string; orgPath: string[] };
  subject: { orgId: string; personId?: string };
  facts: string;
  escalateTo: string[];
  policy: CasePolicy;
}

export interface DisciplinaryCaseResult {
  caseNumber: string;
  findings: string;
  sanction: string;
}

export async function disciplinaryCaseProcess(input: DisciplinaryCaseInput): Promise<DisciplinaryCaseResult | { cancelled: string }> {
  const runtime = new ProcessRuntime(input.identity, disciplinaryCaseModel);
  const outcome: Partial<DisciplinaryCaseResult> = {};
  runtime.details = () => ({ caseProcessId: input.caseProcessId, subject: input.subject, policyVersion: input.policy.version, ...outcome });
  await runtime.start({ caseProcessId: input.caseProcessId });

  const spec = (elementId: string, form: string, title: string, titleZh: string, roles: TaskSpec['assignee']['roles']): TaskSpec => ({
    elementId,
    form,
    title,
    titleZh,
    assignee: { orgId: input.dic.orgId, roles },
    orgPath: input.dic.orgPath,
    dueDate: addDays(localDateOf(Date.now()), dueDaysOf(input.policy, elementId)),
    escalation: input.policy.escalation,
    escalateTo: input.escalateTo,
    deciderOrgId: input.dic.orgId,
    context: { caseProcessId: input.caseProcessId, subject: input.subject, facts: input.facts, ...outcome },
  });

  return runProcess(runtime, async () => {
    const filed = await runtime.userTask<{ caseNumber: string }>(spec('fileCase', 'disciplinaryFile', 'File the disciplinary case', '纪律审查立案', ['caseOfficer']));
    outcome.caseNumber = filed.result.caseNumber;
    const investigated = await runtime.userTask<{ findings: string }>(spec('investigate', 'disciplinaryInvestigation', 'Investigate', '调查取证', ['caseOfficer']));
    outcome.findings = investigated.result.findings;
    const decided = await runtime.userTask<{ sanction: string }>(
      spec('decideSanction', 'disciplinaryDecision', 'Decide the disciplinary sanction', '审理并作出处分决定', ['supervisor']),
    );
    outcome.sanction = decided.result.sanction;
    return { caseNumber: filed.result.caseNumber, findings: investigated.result.findings, sanction: decided.result.sanction };
  });
}
