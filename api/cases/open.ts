/**
 * Opening an interview (Art. 12) or an accountability case (Art. 14–17): the parties are
 * resolved from the organisation tree here, once, so the workflow gets everything it
 * needs in its input. Both can be opened from an escalation's proposal: the proposal is
 * claimed (open → opened, conditionally) before the process starts and released again
 * if the start fails, so neither is left half-applied.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { Principal } from '../http/endpoint.js';
import { conflict, forbidden, notFound, unprocessable } from '../http/errors.js';
import { canonicalJson } from '../http/idempotency.js';
import { canRead, loadOrg, requireCaseRemit } from '../auth/access.js';
import { startProcess } from '../processes/start.js';
import { appendAuditEntry } from '../../activities/audit.js';
import { INTERVIEW_KINDS, InterviewKind, Side, SubjectKind, validateGrounds } from '../../domain/accountability.js';
import { addDays, localDateOf } from '../../domain/calendar.js';
import { INTERVIEW_POLICY_CODE, interviewPolicyOf, stepDueDays } from '../../domain/interview/policy.js';
import { CASE_POLICY_CODE, casePolicyOf, caseStepDueDays } from '../../domain/case/policy.js';
import type { Models } from '../../models/index.js';
import type { Org } from '../../models/org.js';
import type { Person } from '../../models/person.js';
import type { ProposalRecord } from '../../models/proposal.js';
import { holderOf, supervisingDicOf } from '../../models/org-queries.js';
import { processPolicyForStart } from '../../models/policy.js';
import { resolveRectification } from '../rectifications/resolve.js';
import { interviewProcess, type InterviewInput, type InterviewParty } from '../../workflows/interview.js';
import { accountabilityCaseProcess, type CaseInput, type CaseParty } from '../../workflows/accountability-case.js';
import { actorOf } from '../auth/tokens.js';
import { enumNames, label, orgPicker, personPicker, picker } from '../../domain/form-meta.js';
import { GROUNDS, GROUNDS_ARTICLE, INTERVIEW_KINDS as KINDS } from '../../domain/accountability.js';

const Id = z.string().min(1).max(200);

/**
 * The case officer's own reference of the matter (a file number): with the subject it names the
 * process for good, as a feedback reference names a rectification, so a start sent twice makes
 * one process (the second is 409 with its processId).
 */
const Reference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" and "-" (up to 100)')
  .meta({
    title: '编号',
    description: '本单位对此事项的编号（字母、数字、.、_、-）；同一对象同一编号只能启动一次',
    'x-en': { title: 'Reference', description: 'the officer\'s reference of the matter; with the subject it names the process for good (a second start with it is 409)' },
  });

export const InterviewBody = z.object({
  kind: InterviewKind.meta({
    ...label('约谈类型', 'Kind'),
    ...enumNames(Object.fromEntries(Object.entries(KINDS).map(([k, spec]) => [k, { zh: spec.titleZh, en: `${spec.title} (Art. ${spec.article})` }]))),
  }),
  subject: z
    .object({
      orgId: Id.meta({ ...label('被约谈单位', 'Organisation'), ...orgPicker() }),
      personId: Id.optional().meta({ ...label('被约谈人', 'Person', { zh: '不选则约谈该单位领导班子', en: 'none: the leadership team' }), ...personPicker('subject.orgId') }),
    })
    .meta(label('约谈对象', 'Subject')),
  reason: z.string().trim().min(1).max(5_000).meta(label('约谈事由', 'Reason')),
  /** A leader the principal leader delegates to hold the interview (Art. 12(1)). */
  interviewerPersonId: Id.optional().meta({ ...label('受委托约谈人', 'Delegated interviewer'), ...picker('hidden') }),
  proposalId: Id.optional().meta({ ...label('升级建议', 'Proposal'), ...picker('hidden') }),
  reference: Reference.optional(),
});
export type InterviewBody = z.infer<typeof InterviewBody>;

export const CaseSource = z.enum(['escalation', 'petition', 'inspection', 'referral']);

const CHINESE_NUMERALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** `14(2)` as the Rules cite it: 第十四条第（二）项. */
function groundArticleZh(code: string, article: string): string {
  const item = /\((\d)\)$/.exec(code)?.[1];
  const articleZh = article === 'Art. 14' ? '第十四条' : '第十五条';
  return item ? `${articleZh}第（${CHINESE_NUMERALS[Number(item)]}）项` : articleZh;
}

export const CaseBody = z.object({
  subject: z
    .object({
      side: Side.meta({
        ...label('追责对象类别', 'Side'),
        ...enumNames({ pc: { zh: '党委（党组）及其成员（第十四条）', en: 'Party committee (Art. 14)' }, dic: { zh: '纪委及其成员（第十五条）', en: 'Discipline inspection commission (Art. 15)' } }),
      }),
      kind: SubjectKind.meta({ ...label('追责对象', 'Subject'), ...enumNames({ team: { zh: '领导班子', en: 'Leadership team' }, person: { zh: '个人', en: 'A person' } }) }),
      orgId: Id.meta({
        ...label('单位', 'Organisation'),
        ...orgPicker(),
        // Art. 14 is about party committees and what is under them, Art. 15 about commissions.
        'x-org-kinds-by': { field: 'subject.side', kinds: { pc: ['pc', 'unit', 'orgDept'], dic: ['dic'] } },
      }),
      personId: Id.optional().meta({ ...label('责任人', 'Person', { zh: '追究个人责任时必选', en: 'required for a person' }), ...personPicker('subject.orgId') }),
    })
    .meta(label('追责对象', 'Subject')),
  // Codes, not an enum: an unknown ground reaches the Art. 14/15 check (422 naming the article).
  grounds: z
    .array(z.string().min(1).max(20))
    .max(20)
    .meta({
      ...label('追责情形', 'Grounds', { zh: '按对象类别勾选第十四条或第十五条所列情形', en: 'the grounds of Art. 14 or Art. 15, by side' }),
      'x-choices': Object.entries(GROUNDS).map(([code, g]) => ({ value: code, group: g.side, zh: `${groundArticleZh(code, GROUNDS_ARTICLE[g.side])}：${g.titleZh}`, en: `${code} ${g.title}` })),
      'x-choices-by': 'subject.side',
    }),
  source: CaseSource.meta({
    ...label('线索来源', 'Source'),
    ...enumNames({ escalation: { zh: '逾期升级', en: 'Escalation' }, petition: { zh: '信访举报', en: 'Petition' }, inspection: { zh: '监督检查', en: 'Inspection' }, referral: { zh: '移送', en: 'Referral' } }),
  }),
  summary: z.string().trim().min(1).max(5_000).meta(label('案情摘要', 'Summary')),
  proposalId: Id.optional().meta({ ...label('升级建议', 'Proposal'), ...picker('hidden') }),
  /** Organisations asked for evidence besides the subject's own. */
  evidenceFrom: z.array(Id).max(10).optional().meta({ ...label('另请提供材料的单位', 'Evidence also from'), ...orgPicker() }),
  reference: Reference.optional(),
});
export type CaseBody = z.infer<typeof CaseBody>;

export const Opened = z.object({
  processId: z.string(),
  processType: z.string(),
  firstTask: z.object({ elementId: z.string(), dueDate: z.string() }),
  proposalId: z.string().optional(),
});
export type Opened = z.infer<typeof Opened>;

const today = () => localDateOf(Date.now());

async function orgOrUnprocessable(models: Models, orgId: string, what: string): Promise<Org> {
  const org = await loadOrg(models, orgId);
  if (!org) throw unprocessable(`${what} ${orgId} does not exist`, { reason: 'orgNotFound', orgId });
  return org;
}

async function personIn(models: Models, personId: string, orgId: string): Promise<Person> {
  const person = await models.Person.findById(personId).lean<Person>();
  if (!person || !person.posts.some((p) => p.orgId === orgId)) throw unprocessable(`person ${personId} holds no post in ${orgId}`, { reason: 'personNotInOrg', personId, orgId });
  return person;
}

/** The DIC a case officer acts for (an admin acts for the subject's supervising DIC). */
async function actingDic(models: Models, principal: Principal, subject: Org): Promise<Org> {
  if (principal.role !== 'admin') return (await loadOrg(models, principal.orgId)) as Org;
  const dic = await supervisingDicOf(models, subject._id);
  if (!dic) throw unprocessable(`no DIC supervises ${subject._id}`);
  return dic;
}

/**
 * [reading] Art. 12(1): the PC responsible for the subject is the nearest PC at or above
 * it; where the interview is about that PC's team as a whole, or about its own principal
 * leader, the PC above holds it (a problem of a lower-level leadership).
 */
async function responsiblePc(models: Models, subject: Org, personId: string | undefined): Promise<Org> {
  const chain = await models.Org.find({ _id: { $in: subject.path } }).lean<Org[]>();
  const pcs = subject.path.map((id) => chain.find((o) => o._id === id)).filter((o): o is Org => o?.kind === 'pc');
  const nearest = pcs.at(-1);
  if (!nearest) throw unprocessable(`no party committee is responsible for ${subject._id}`);
  const upper = pcs.at(-2);
  if (!upper) return nearest;
  if (nearest._id === subject._id && !personId) return upper;
  const pl = await holderOf(models, nearest._id, 'principalLeader');
  return personId && pl?._id === personId ? upper : nearest;
}

/**
 * What names a new interview or case for good, beside its subject: the proposal it opens, the
 * officer's reference, the request's Idempotency-Key (so a retried start without a reference
 * is still one process), and failing all three the request itself on the day it is made: the
 * same start sent again that day by the same caller (a retry without a key, a second click) is
 * the same process and answers 409 naming it, while the same matter opened on another day, or
 * with any field changed, is a new one (issue 12: a retried start never makes a second process).
 */
function processKey(principal: Principal, body: { reference?: string | undefined }, proposal: ProposalRecord | undefined, requestKey: string | undefined): string {
  if (proposal) return proposal._id;
  if (body.reference) return body.reference;
  if (requestKey) return requestKey;
  const request = `${principal.sub}\u0000${principal.orgId}\u0000${localDateOf(Date.now())}\u0000${canonicalJson(body)}`;
  return `r-${createHash('sha256').update(request).digest('hex').slice(0, 32)}`;
}

// ---------------------------------------------------------------------------------------
// Proposals
// ---------------------------------------------------------------------------------------

export async function loadDecidableProposal(models: Models, principal: Principal, proposalId: string): Promise<ProposalRecord> {
  const proposal = await models.Proposal.findById(proposalId).lean<ProposalRecord>();
  if (!proposal || !(await canRead(models, principal, { _id: proposal.subjectOrgId, path: proposal.orgPath }))) throw notFound('proposal');
  if (principal.role !== 'admin' && principal.orgId !== proposal.deciderOrgId) throw forbidden('only the deciding commission\'s case officers decide');
  if (proposal.status !== 'open') throw conflict(`the proposal is already ${proposal.status}`);
  return proposal;
}

async function withProposal(models: Models, principal: Principal, proposal: ProposalRecord | undefined, processId: string, start: () => Promise<unknown>): Promise<void> {
  if (!proposal) {
    await start();
    return;
  }
  const now = new Date();
  const decidedBy = actorOf(principal);
  const claimed = await models.Proposal.updateOne(
    { _id: proposal._id, status: 'open' },
    { $set: { status: 'opened', decidedAt: now, decidedBy, decisionReason: `opened as ${processId}`, openedProcessId: processId } },
  );
  if (claimed.modifiedCount === 0) throw conflict('the proposal is no longer open');
  try {
    await start();
  } catch (err) {
    await models.Proposal.updateOne(
      { _id: proposal._id, status: 'opened', openedProcessId: processId },
      { $set: { status: 'open' }, $unset: { decidedAt: 1, decidedBy: 1, decisionReason: 1, openedProcessId: 1 } },
    );
    throw err;
  }
  await appendAuditEntry(models, {
    entryId: `${proposal._id}:opened`,
    at: now.toISOString(),
    actor: { kind: 'user', ...decidedBy },
    action: 'proposal.opened',
    target: { kind: 'proposal', id: proposal._id },
    orgId: proposal.subjectOrgId,
    orgPath: proposal.orgPath,
    processId: proposal.sourceProcessId,
    outcome: 'ok',
    details: { kind: proposal.kind, openedProcessId: processId },
  });
}

// ---------------------------------------------------------------------------------------
// Interviews
// ---------------------------------------------------------------------------------------

/** `requestKey`: from the request's Idempotency-Key (`keyedId`), when it has one. */
export async function openInterview(deps: AppDeps, principal: Principal, body: InterviewBody, proposal?: ProposalRecord, requestKey?: string): Promise<Opened> {
  const { models } = deps;
  const subject = await orgOrUnprocessable(models, body.subject.orgId, 'organisation');
  await requireCaseRemit(models, principal, subject);
  if (body.subject.personId) await personIn(models, body.subject.personId, subject._id);
  const dic = await actingDic(models, principal, subject);
  const dicParty: InterviewParty = { orgId: dic._id, orgPath: dic.path, roles: ['caseOfficer'] };

  let interviewer: InterviewParty = dicParty;
  if (body.kind === 'problemInterview') {
    const pc = await responsiblePc(models, subject, body.subject.personId);
    const holder = body.interviewerPersonId ? await personIn(models, body.interviewerPersonId, pc._id) : await holderOf(models, pc._id, 'principalLeader');
    if (!holder) throw unprocessable(`${pc._id} has no principal leader to hold the interview; name a delegated leader`);
    interviewer = { orgId: pc._id, orgPath: pc.path, roles: ['leader'], personId: holder._id };
  } else if (body.kind === 'cityDicHeadInterview') {
    const head = body.interviewerPersonId ? await personIn(models, body.interviewerPersonId, dic._id) : await holderOf(models, dic._id, 'dicSecretary');
    if (!head) throw unprocessable(`${dic._id} has no secretary to hold the interview; name the interviewer`);
    interviewer = { orgId: dic._id, orgPath: dic.path, roles: ['leader', 'supervisor'], personId: head._id };
  }
  const interviewee: InterviewParty = {
    orgId: subject._id,
    orgPath: subject.path,
    roles: ['unit', 'leader'],
    ...(body.subject.personId ? { personId: body.subject.personId } : {}),
  };

  const key = processKey(principal, body, proposal, requestKey);
  const processId = `interview:${subject._id}:${key}`;
  const rectification =
    body.kind === 'cityDicHeadInterview' ? await resolveRectification(models, { principal, target: subject, issuer: dic, issuerOrgId: dic._id, feedbackId: `interview-${key.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 80)}`, channel: 'faceToFace' }) : undefined;
  const spec = INTERVIEW_KINDS[body.kind];
  const stored = await processPolicyForStart(models, INTERVIEW_POLICY_CODE);
  const policy = interviewPolicyOf(stored.entry, stored.version);
  const input: InterviewInput = {
    identity: {
      processType: 'interview',
      title: `${spec.titleZh} ${spec.title}: ${subject.nameZh}`,
      orgId: subject._id,
      orgPath: subject.path,
      startedBy: actorOf(principal),
      issuerOrgId: dic._id,
    },
    kind: body.kind,
    subject: { orgId: subject._id, orgPath: subject.path, ...(body.subject.personId ? { personId: body.subject.personId } : {}) },
    reason: body.reason,
    interviewer,
    interviewee,
    dic: dicParty,
    escalateTo: [dic._id],
    policy,
    ...(proposal ? { source: { proposalId: proposal._id, sourceTaskId: proposal.sourceTaskId } } : {}),
    ...(rectification ? { rectification } : {}),
  };
  await withProposal(models, principal, proposal, processId, () =>
    startProcess(deps.temporal, interviewProcess, {
      workflowId: processId,
      processType: 'interview',
      orgId: subject._id,
      orgPath: subject.path,
      taskQueue: deps.config.TASK_QUEUE,
      args: [input],
    }),
  );
  const first = (spec.steps[0] as { id: string }).id;
  return { processId, processType: 'interview', firstTask: { elementId: first, dueDate: addDays(today(), stepDueDays(policy, first)) }, ...(proposal ? { proposalId: proposal._id } : {}) };
}

// ---------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------

/** [reading] Art. 17: the organisation department nearest above the subject; the DIC where there is none. */
async function orgDeptFor(models: Models, subject: Org, dic: Org): Promise<CaseParty> {
  const depts = await models.Org.find({ kind: 'orgDept', parentId: { $in: subject.path }, active: { $ne: false } }).lean<Org[]>();
  const nearest = depts.sort((a, b) => subject.path.indexOf(b.parentId ?? '') - subject.path.indexOf(a.parentId ?? ''))[0];
  return nearest ? { orgId: nearest._id, orgPath: nearest.path, roles: ['unit'] } : { orgId: dic._id, orgPath: dic.path, roles: ['caseOfficer'] };
}

/** `requestKey`: from the request's Idempotency-Key (`keyedId`), when it has one. */
export async function openCase(deps: AppDeps, principal: Principal, body: CaseBody, proposal?: ProposalRecord, requestKey?: string): Promise<Opened> {
  const { models } = deps;
  const grounds = validateGrounds(body.subject.side, body.grounds);
  if (!grounds.ok) {
    throw unprocessable(grounds.problems.map((p) => `${p.article}: ${p.message}`).join('; '), grounds.problems);
  }
  const subject = await orgOrUnprocessable(models, body.subject.orgId, 'organisation');
  await requireCaseRemit(models, principal, subject);
  if (body.subject.side === 'dic' && subject.kind !== 'dic') throw unprocessable(`Art. 15: a DIC-side case is about a DIC; ${subject._id} is a ${subject.kind}`);
  if (body.subject.side === 'pc' && subject.kind === 'dic') throw unprocessable(`Art. 14: a PC-side case is not about a DIC; ${subject._id} is a DIC (Art. 15)`);
  if (body.subject.kind === 'person' && !body.subject.personId) throw unprocessable('a case about a person names the person (subject.personId)');
  if (body.subject.kind === 'team' && body.subject.personId) throw unprocessable('a case about a leadership team names no person');
  if (body.subject.personId) await personIn(models, body.subject.personId, subject._id);
  const dic = await actingDic(models, principal, subject);
  const evidenceOrgs = [subject];
  for (const id of body.evidenceFrom ?? []) {
    if (evidenceOrgs.some((o) => o._id === id)) continue;
    const org = await orgOrUnprocessable(models, id, 'evidence organisation');
    await requireCaseRemit(models, principal, org);
    evidenceOrgs.push(org);
  }

  const processId = `case:${subject._id}:${processKey(principal, body, proposal, requestKey)}`;
  const [caseStored, interviewStored] = await Promise.all([processPolicyForStart(models, CASE_POLICY_CODE), processPolicyForStart(models, INTERVIEW_POLICY_CODE)]);
  const policy = casePolicyOf(caseStored.entry, caseStored.version);
  const input: CaseInput = {
    identity: {
      processType: 'accountability-case',
      title: `责任追究 Accountability case: ${subject.nameZh} (${body.grounds.join(', ')})`,
      orgId: subject._id,
      orgPath: subject.path,
      startedBy: actorOf(principal),
      issuerOrgId: dic._id,
    },
    subject: { ...body.subject, orgPath: subject.path },
    grounds: body.grounds,
    source: body.source,
    summary: body.summary,
    ...(proposal ? { proposalId: proposal._id, sourceTaskId: proposal.sourceTaskId, sourceProcessId: proposal.sourceProcessId } : {}),
    dic: { orgId: dic._id, orgPath: dic.path },
    orgDept: await orgDeptFor(models, subject, dic),
    evidenceFrom: evidenceOrgs.map((o) => ({ orgId: o._id, orgPath: o.path, roles: ['unit', 'leader'] })),
    escalateTo: [dic._id],
    policy,
    interviewPolicy: interviewPolicyOf(interviewStored.entry, interviewStored.version),
  };
  await withProposal(models, principal, proposal, processId, () =>
    startProcess(deps.temporal, accountabilityCaseProcess, {
      workflowId: processId,
      processType: 'accountability-case',
      orgId: subject._id,
      orgPath: subject.path,
      taskQueue: deps.config.TASK_QUEUE,
      args: [input],
    }),
  );
  return {
    processId,
    processType: 'accountability-case',
    firstTask: { elementId: 'submitEvidence', dueDate: addDays(today(), caseStepDueDays(policy, 'submitEvidence')) },
    ...(proposal ? { proposalId: proposal._id } : {}),
  };
}
