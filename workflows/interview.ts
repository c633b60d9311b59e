/**
 * The interview process (约谈, Art. 12). The kind's steps (domain/accountability.ts
 * INTERVIEW_KINDS) run in order, each a user task of the party the step names: the
 * interviewer, the one interviewed, or the DIC that asked. A step that produces a text
 * stores it as a versioned document; the endorsement step signs the document's current
 * version (签字背书) and keeps its SHA-256; the CITY-DIC head's interview ends in
 * rectification demands.
 */
import { INTERVIEW_KINDS, type InterviewKind, type InterviewStep } from '../domain/accountability-rules.js';
import { addDays, localDateOf } from '../domain/calendar.js';
import type { InterviewPolicy } from '../domain/interview/policy.js';
import { dueDaysOf } from '../domain/step-deadlines.js';
import type { Role, TaskSpec } from '../domain/tasks.js';
import type { SavedDocument, SignedEndorsement } from '../activities/interviews.js';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { db } from './lib/activity-options.js';
import { OrgIdKey, OrgPathKey, ProcessTypeKey } from './search-attributes.js';
import { rectificationProcess, type RectificationInput } from './rectification.js';
import { ProcessRuntime, runProcess, type ProcessIdentity } from './lib/process-runtime.js';
import { interviewModel } from './interview.model.js';

export interface InterviewParty {
  orgId: string;
  orgPath: string[];
  roles: Role[];
  personId?: string;
}

export interface InterviewInput {
  identity: ProcessIdentity;
  kind: InterviewKind;
  subject: { orgId: string; orgPath: string[]; personId?: string };
  reason: string;
  interviewer: InterviewParty;
  interviewee: InterviewParty;
  /** The DIC that asked for the interview (its case officers receive what comes back). */
  dic: InterviewParty;
  /** The DIC told when a step runs late. */
  escalateTo: string[];
  policy: InterviewPolicy;
  source?: { proposalId?: string; sourceTaskId?: string; caseProcessId?: string };
  /**
   * For the CITY-DIC head's interview: the rectification its demands open (Art. 12(2)),
   * resolved at start; the demands become its findings and the day they are set its feedback date.
   */
  rectification?: Omit<RectificationInput, 'feedbackDate' | 'findings'>;
}

export interface InterviewResult {
  kind: InterviewKind;
  documents: Record<string, SavedDocument>;
  signatures: SignedEndorsement[];
  rectificationDemands?: string[];
  rectificationProcessId?: string;
}

const DOCUMENT_TITLES: Record<string, string> = {
  holdInterview: '约谈记录 Interview minutes',
  writeExplanation: '情况说明 Explanation',
  setRectificationDemands: '整改要求 Rectification demands',
  holdMeeting: '专题民主生活会记录 Meeting minutes',
  submitAnalysis: '剖析材料 Analysis and rectification measures',
};

export async function interviewProcess(input: InterviewInput): Promise<InterviewResult | { cancelled: string }> {
  const runtime = new ProcessRuntime(input.identity, interviewModel);
  const spec = INTERVIEW_KINDS[input.kind];
  const documents: Record<string, SavedDocument> = {};
  const signatures: SignedEndorsement[] = [];
  let rectificationDemands: string[] | undefined;
  let rectificationProcessId: string | undefined;
  runtime.details = () => ({
    kind: input.kind,
    article: spec.article,
    subject: input.subject,
    reason: input.reason,
    policyVersion: input.policy.version,
    ...(input.source ? { source: input.source } : {}),
    documents,
    signatures,
    ...(rectificationDemands ? { rectificationDemands } : {}),
    ...(rectificationProcessId ? { rectificationProcessId } : {}),
  });
  await runtime.start({ kind: input.kind, article: spec.article, reason: input.reason, ...(input.source ?? {}) });

  const partyOf = (step: InterviewStep): InterviewParty =>
    step.actor === 'interviewer' ? input.interviewer : step.actor === 'interviewee' ? input.interviewee : input.dic;

  const taskSpec = (step: InterviewStep, form: string, context: Record<string, unknown>): TaskSpec => {
    const party = partyOf(step);
    return {
      elementId: step.id,
      form,
      title: step.title,
      titleZh: step.titleZh,
      assignee: { orgId: party.orgId, roles: party.roles, ...(party.personId ? { personId: party.personId } : {}) },
      orgPath: party.orgPath,
      dueDate: addDays(localDateOf(Date.now()), dueDaysOf(input.policy, step.id)),
      escalation: input.policy.escalation,
      escalateTo: input.escalateTo,
      deciderOrgId: input.dic.orgId,
      context: { interviewKind: input.kind, article: spec.article, subject: input.subject, reason: input.reason, ...context },
    };
  };

  return runProcess(runtime, async () => {
    runtime.pass('kindGateway');
    for (const step of spec.steps) {
      if (step.signs) {
        const signed = documents[step.signs];
        const outcome = await runtime.userTask<{ opinion: string }>(taskSpec(step, 'interviewEndorsement', { document: signed }));
        const party = partyOf(step);
        const signature = await db.signProcessDocument({
          signatureId: `${runtime.processId}:${step.id}`,
          documentId: signed?.documentId ?? '',
          signerPersonId: outcome.completedBy.personId ?? party.personId ?? outcome.completedBy.sub,
          signerOrgId: party.orgId,
          opinion: outcome.result.opinion,
          at: outcome.completedAt,
        });
        signatures.push(signature);
        await runtime.record('interview.endorsed', step.id, { documentId: signature.documentId, version: signature.version, sha256: signature.sha256, signer: signature.signer }, outcome.completedBy);
      } else if (step.opens === 'rectification') {
        const outcome = await runtime.userTask<{ demands: string[]; note?: string }>(taskSpec(step, 'rectificationDemands', {}));
        rectificationDemands = outcome.result.demands;
        documents[step.id] = await saveDocument(step, outcome.result.demands.map((d, i) => `${i + 1}. ${d}`).join('\n'), outcome.completedBy.sub, outcome.completedAt);
        runtime.enter('openRectification');
        rectificationProcessId = await openRectification(outcome.result.demands);
        await runtime.record('interview.rectificationOpened', 'openRectification', {
          demands: outcome.result.demands,
          documentId: documents[step.id]?.documentId,
          ...(rectificationProcessId ? { rectificationProcessId } : {}),
        });
        runtime.leave('openRectification');
      } else if (step.produces) {
        const outcome = await runtime.userTask<{ content: string }>(taskSpec(step, 'interviewDocument', { produces: step.produces }));
        documents[step.id] = await saveDocument(step, outcome.result.content, outcome.completedBy.sub, outcome.completedAt);
      } else {
        await runtime.userTask(taskSpec(step, 'acknowledge', { documents, signatures }));
      }
    }
    runtime.pass('kindJoin');
    return {
      kind: input.kind,
      documents,
      signatures,
      ...(rectificationDemands ? { rectificationDemands } : {}),
      ...(rectificationProcessId ? { rectificationProcessId } : {}),
    };
  });

  /**
   * Starts the rectification and lets it run on its own (it lasts months, the interview
   * ends with the demands): the child is abandoned, not ended, when the interview closes.
   */
  async function openRectification(demands: string[]): Promise<string | undefined> {
    const template = input.rectification;
    if (!template) return undefined;
    const workflowId = `rectification:${template.target.orgId}:${template.feedbackId}`;
    await startChild(rectificationProcess, {
      workflowId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      ...(template.identity.searchAttributes === false
        ? {}
        : {
            typedSearchAttributes: [
              { key: ProcessTypeKey, value: template.identity.processType },
              { key: OrgIdKey, value: template.target.orgId },
              { key: OrgPathKey, value: template.target.orgPath },
            ],
          }),
      args: [
        {
          ...template,
          feedbackDate: localDateOf(Date.now()),
          findings: demands.map((d, i) => ({ findingId: `F${i + 1}`, title: d.length > 80 ? `${d.slice(0, 79)}…` : d, detail: d })),
        },
      ],
    });
    return workflowId;
  }

  function saveDocument(step: InterviewStep, content: string, createdBy: string, at: string): Promise<SavedDocument> {
    const party = partyOf(step);
    return db.saveProcessDocument({
      documentId: `${runtime.processId}:${step.id}`,
      title: DOCUMENT_TITLES[step.id] ?? step.title,
      kind: step.produces === 'list' ? 'list' : (step.produces ?? 'other'),
      orgId: party.orgId,
      orgPath: party.orgPath,
      processId: runtime.processId,
      content,
      createdBy,
      at,
    });
  }
}
