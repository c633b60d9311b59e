/**
 * The accountability case (责任追究, Art. 14–17). Fact-finding (evidence from the subject),
 * determination of the facts and severity, a decision checked against the Art. 16 table,
 * routing per Art. 17 — a disciplinary sanction through the DIC's disciplinary case
 * procedure (a child workflow), organisational handling as a task of the organisation
 * department, the measures the deciding DIC carries out itself tracked as tasks (a written
 * self-examination by its deadline) or an interview (the admonishment talk, a child
 * workflow) — then closure. The outcome is kept on the subject's record (Art. 13(3)).
 */
import { condition, executeChild, ParentClosePolicy } from '@temporalio/workflow';
import {
  INTERVIEW_KINDS,
  JUDICIAL_TRANSFER,
  allowedSanctions,
  routeSanctions,
  validateSanctions,
  type Determination,
  type Sanction,
  type Side,
  type SubjectKind,
} from '../domain/accountability-rules.js';
import { addDays, localDateOf } from '../domain/calendar.js';
import type { CasePolicy } from '../domain/case/policy.js';
import { dueDaysOf } from '../domain/step-deadlines.js';
import type { InterviewPolicy } from '../domain/interview/policy.js';
import type { Actor, Role, TaskSpec } from '../domain/tasks.js';
import { db } from './lib/activity-options.js';
import { ProcessCancelled, ProcessRuntime, runProcess, type PayloadRule, type ProcessIdentity } from './lib/process-runtime.js';
import { OrgIdKey, OrgPathKey, ProcessTypeKey } from './search-attributes.js';
import { accountabilityCaseModel } from './accountability-case.model.js';
import { disciplinaryCaseProcess, type DisciplinaryCaseResult } from './disciplinary-case.js';
import { interviewProcess, type InterviewResult } from './interview.js';

export interface CaseParty {
  orgId: string;
  orgPath: string[];
  roles: Role[];
}

export interface CaseInput {
  identity: ProcessIdentity;
  subject: { side: Side; kind: SubjectKind; orgId: string; orgPath: string[]; personId?: string };
  grounds: string[];
  source: 'escalation' | 'petition' | 'inspection' | 'referral';
  summary: string;
  /** Where an escalation proposed the case: the proposal and the overdue task it cites. */
  proposalId?: string;
  sourceTaskId?: string;
  sourceProcessId?: string;
  /** The deciding DIC (its case officers run the case; its supervisors decide a disciplinary sanction). */
  dic: { orgId: string; orgPath: string[] };
  /** Who carries out organisational handling (Art. 17): the organisation department, or the DIC where there is none. */
  orgDept: CaseParty;
  /** Who is asked for evidence (the subject's organisation by default). */
  evidenceFrom: CaseParty[];
  escalateTo: string[];
  policy: CasePolicy;
  interviewPolicy: InterviewPolicy;
}

interface Decision {
  sanctions: string[];
  reasoning: string;
  jointWithDic?: boolean;
}

export interface CaseResult {
  determination: Determination;
  sanctions: string[];
  disciplinary?: DisciplinaryCaseResult | { cancelled: string };
  admonishment?: InterviewResult | { cancelled: string };
}

/** Art. 16 problems as rule violations, each naming its article. */
export function sanctionRule(input: Pick<CaseInput, 'subject' | 'policy'>, determination: Determination): PayloadRule<Decision> {
  return (payload) => {
    const check = validateSanctions(input.subject, determination, payload.sanctions, input.policy.sanctions);
    return check.ok ? [] : check.problems.map((p) => `${p.article}: ${p.message}`);
  };
}

export async function accountabilityCaseProcess(input: CaseInput): Promise<CaseResult | { cancelled: string }> {
  const runtime = new ProcessRuntime(input.identity, accountabilityCaseModel);
  const state: {
    evidence: Array<{ orgId: string; summary: string; documentId?: string }>;
    facts?: string;
    determination?: Determination;
    decision?: Decision;
    routed?: ReturnType<typeof routeSanctions>;
    children: Record<string, string>;
    executions: Record<string, unknown>;
    closure?: string;
  } = { evidence: [], children: {}, executions: {} };
  runtime.details = () => ({
    subject: input.subject,
    grounds: input.grounds,
    source: input.source,
    summary: input.summary,
    policyVersion: input.policy.version,
    ...(input.proposalId ? { proposalId: input.proposalId } : {}),
    ...(input.sourceTaskId ? { sourceTaskId: input.sourceTaskId } : {}),
    ...(input.sourceProcessId ? { sourceProcessId: input.sourceProcessId } : {}),
    ...state,
  });
  await runtime.start({ grounds: input.grounds, source: input.source, ...(input.sourceTaskId ? { sourceTaskId: input.sourceTaskId } : {}) });

  const dicOfficers: CaseParty = { ...input.dic, roles: ['caseOfficer'] };
  const spec = (elementId: string, form: string, title: string, titleZh: string, party: CaseParty, context: Record<string, unknown> = {}, key?: string): TaskSpec => ({
    elementId,
    ...(key ? { key } : {}),
    form,
    title,
    titleZh,
    assignee: { orgId: party.orgId, roles: party.roles },
    orgPath: party.orgPath,
    dueDate: addDays(localDateOf(Date.now()), dueDaysOf(input.policy, elementId)),
    escalation: input.policy.escalation,
    escalateTo: input.escalateTo,
    deciderOrgId: input.dic.orgId,
    context: { caseProcessId: runtime.processId, subject: input.subject, grounds: input.grounds, ...context },
  });

  // A cancellation ends the case even while it waits on a child workflow only.
  const cancelled = condition(() => runtime.status === 'cancelled').then(() => {
    throw new ProcessCancelled(runtime.cancelReason ?? 'cancelled');
  });
  void cancelled.catch(() => undefined);

  const childIdentity = (processType: string, title: string, startedBy: Actor): ProcessIdentity => ({
    processType,
    title,
    orgId: input.subject.orgId,
    orgPath: input.subject.orgPath,
    startedBy,
    issuerOrgId: input.dic.orgId,
    ...(input.identity.searchAttributes === false ? { searchAttributes: false } : {}),
  });
  const childSearchAttributes = (processType: string) =>
    input.identity.searchAttributes === false
      ? {}
      : {
          typedSearchAttributes: [
            { key: ProcessTypeKey, value: processType },
            { key: OrgIdKey, value: input.subject.orgId },
            { key: OrgPathKey, value: input.subject.orgPath },
          ],
        };

  return runProcess(runtime, async () => {
    // Fact-finding: every organisation asked submits its evidence (in parallel).
    await Promise.all(
      input.evidenceFrom.map(async (party) => {
        const outcome = await runtime.userTask<{ summary: string; documentId?: string }>(
          spec('submitEvidence', 'caseEvidence', 'Submit evidence for the accountability case', '提交责任追究调查材料', party, { summary: input.summary }, party.orgId),
        );
        state.evidence.push({ orgId: party.orgId, ...outcome.result });
      }),
    );

    const determined = await runtime.userTask<{ facts: string; determination: Determination }>(
      spec('determine', 'caseDetermination', 'Determine the facts and the severity', '认定事实与情节', dicOfficers, { evidence: state.evidence }),
    );
    state.facts = determined.result.facts;
    const determination = determined.result.determination;
    state.determination = determination;

    const decided = await runtime.userTask<Decision>(
      spec('decide', 'caseDecision', 'Decide the measures (Art. 16)', '作出责任追究决定', dicOfficers, {
        facts: state.facts,
        determination,
        // What Art. 16 (as the process's policy reads it) allows here, for the form to offer; the rule below still decides.
        allowedSanctions: [...(determination === 'noResponsibility' ? [] : allowedSanctions(input.subject.kind, determination, input.policy.sanctions)), JUDICIAL_TRANSFER],
      }),
      sanctionRule(input, determination),
    );
    const decision = decided.result;
    state.decision = decision;
    const routed = routeSanctions(decision.sanctions as Sanction[]);
    state.routed = routed;

    runtime.enter('recordOutcome');
    const recordBase = {
      caseProcessId: runtime.processId,
      side: input.subject.side,
      subjectKind: input.subject.kind,
      orgId: input.subject.orgId,
      orgPath: input.subject.orgPath,
      ...(input.subject.personId ? { personId: input.subject.personId } : {}),
      grounds: input.grounds,
      source: input.source,
      determination,
      facts: state.facts,
      sanctions: decision.sanctions,
      decidingOrgId: input.dic.orgId,
      decidedAt: decided.completedAt,
    };
    await db.writeAccountabilityRecord(recordBase);
    runtime.leave('recordOutcome');
    await runtime.record('case.decided', 'decide', { determination, sanctions: decision.sanctions, routes: routed }, decided.completedBy);

    runtime.pass('routeSplit');
    const result: CaseResult = { determination, sanctions: decision.sanctions };
    const measures = (route: string) => routed.filter((r) => r.route === route).map((r) => r.sanction);
    const has = (execution: string) => routed.some((r) => r.execution === execution);
    const branches: Array<Promise<void>> = [];

    if (measures('dicDisciplinaryCase').length > 0) {
      branches.push(
        (async () => {
          const workflowId = `${runtime.processId}:disciplinary`;
          state.children.disciplinaryCase = workflowId;
          runtime.enter('disciplinaryCase');
          result.disciplinary = await executeChild(disciplinaryCaseProcess, {
            workflowId,
            parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
            ...childSearchAttributes('disciplinary-case'),
            args: [
              {
                identity: childIdentity('disciplinary-case', `纪律审查 Disciplinary case: ${input.identity.title}`, decided.completedBy),
                caseProcessId: runtime.processId,
                dic: input.dic,
                subject: { orgId: input.subject.orgId, ...(input.subject.personId ? { personId: input.subject.personId } : {}) },
                facts: state.facts ?? '',
                escalateTo: input.escalateTo,
                policy: input.policy,
              },
            ],
          });
          state.executions.disciplinaryCase = result.disciplinary;
          runtime.leave('disciplinaryCase');
        })(),
      );
    }
    const orgMeasures = measures('orgDept');
    if (orgMeasures.length > 0) {
      branches.push(
        (async () => {
          const done = await runtime.userTask<{ summary: string }>(
            spec('orgHandling', 'caseExecution', 'Carry out the organisational handling', '组织处理', input.orgDept, {
              measures: orgMeasures,
              jointWithDic: decision.jointWithDic ?? false,
              jointDicOrgId: decision.jointWithDic ? input.dic.orgId : undefined,
              facts: state.facts,
            }),
          );
          state.executions.orgHandling = done.result;
        })(),
      );
    }
    if (has('writtenSelfExaminationTask')) {
      branches.push(
        (async () => {
          const subjectParty: CaseParty = { orgId: input.subject.orgId, orgPath: input.subject.orgPath, roles: ['unit', 'leader'] };
          const done = await runtime.userTask<{ content: string }>(
            spec('writtenSelfExamination', 'selfExamination', 'Submit the written self-examination', '提交书面检查', subjectParty, { facts: state.facts }),
          );
          const saved = await db.saveProcessDocument({
            documentId: `${runtime.processId}:writtenSelfExamination`,
            title: '书面检查 Written self-examination',
            kind: 'report',
            orgId: input.subject.orgId,
            orgPath: input.subject.orgPath,
            processId: runtime.processId,
            content: done.result.content,
            createdBy: done.completedBy.sub,
            at: done.completedAt,
          });
          state.executions.writtenSelfExamination = { ...saved, late: done.late };
        })(),
      );
    }
    if (has('admonishmentInterview')) {
      branches.push(
        (async () => {
          const workflowId = `${runtime.processId}:admonishment`;
          state.children.admonishmentTalk = workflowId;
          runtime.enter('admonishmentTalk');
          result.admonishment = await executeChild(interviewProcess, {
            workflowId,
            parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
            ...childSearchAttributes('interview'),
            args: [
              {
                identity: childIdentity('interview', `${INTERVIEW_KINDS.admonishmentTalk.titleZh} ${INTERVIEW_KINDS.admonishmentTalk.title}`, decided.completedBy),
                kind: 'admonishmentTalk',
                subject: { orgId: input.subject.orgId, orgPath: input.subject.orgPath, ...(input.subject.personId ? { personId: input.subject.personId } : {}) },
                reason: `accountability case ${runtime.processId}: ${state.facts ?? ''}`,
                interviewer: { ...input.dic, roles: ['caseOfficer'] },
                interviewee: { orgId: input.subject.orgId, orgPath: input.subject.orgPath, roles: ['unit', 'leader'] },
                dic: { ...input.dic, roles: ['caseOfficer'] },
                escalateTo: input.escalateTo,
                policy: input.interviewPolicy,
                source: { caseProcessId: runtime.processId },
              },
            ],
          });
          state.executions.admonishmentTalk = result.admonishment;
          runtime.leave('admonishmentTalk');
        })(),
      );
    }
    const officerStep = (execution: string, elementId: string, title: string, titleZh: string) => {
      if (!has(execution)) return;
      branches.push(
        (async () => {
          const done = await runtime.userTask<{ summary: string }>(spec(elementId, 'caseExecution', title, titleZh, dicOfficers, { facts: state.facts }));
          state.executions[elementId] = done.result;
        })(),
      );
    };
    officerStep('criticismEducationTalk', 'criticismEducationTalk', 'Hold the criticism-and-education talk', '批评教育');
    officerStep('circulation', 'circulation', 'Circulate the criticism', '通报批评');
    officerStep('judicialTransferRecord', 'judicialTransfer', 'Transfer the matter to the judicial organs', '移送司法机关');

    await Promise.race([Promise.all(branches), cancelled]);
    runtime.pass('routeJoin');

    const closed = await runtime.userTask<{ summary: string }>(
      spec('closeCase', 'caseClosure', 'Close the case', '结案', dicOfficers, { executions: state.executions }),
    );
    state.closure = closed.result.summary;
    await db.writeAccountabilityRecord({ ...recordBase, closed: { at: closed.completedAt, summary: closed.result.summary } });
    return result;
  });
}
