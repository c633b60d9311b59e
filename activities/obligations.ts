/**
 * Activities of the obligation cycle: the policy version a period opens under, who owes
 * the duty and who receives it (read at period open, so a changed tree reaches the next
 * period), the period records, and the rectification accounts an annual report must give.
 * Every write is an idempotent upsert keyed by the period's process ID.
 */
import { updateByIdWhen, upsertById } from '../models/db.js';
import { getClient } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Models } from '../models/index.js';
import type { ObligationPeriodInput } from '../workflows/obligation-cycle-period.js';
import { OrgIdKey, OrgPathKey, ProcessTypeKey } from '../workflows/search-attributes.js';
import type { Org } from '../models/org.js';
import type { Person } from '../models/person.js';
import { currentPolicy } from '../models/policy.js';
import { requiredRectificationAccounts } from '../models/annual-report-requirement.js';
import { dicOf, holderOf, supervisingDicOf, upperDicOf } from '../models/org-queries.js';
import type { PolicyEntry, Recipient } from '../domain/obligations/policy-entry.js';
import type { Assignee } from '../domain/tasks.js';
import type { ObligationPeriodState } from '../models/obligation-period.js';

export interface ObligationPolicy {
  version: number;
  entry: PolicyEntry;
}

/** Who owes the duty, who hears of a miss, who decides on proposals, who accepts the record. */
export interface ObligationParties {
  orgPath: string[];
  assignee: Assignee;
  escalateTo: string[];
  deciderOrgId: string;
  recipient: (Assignee & { orgPath: string[] }) | null;
}

export interface RequiredRectificationAccount {
  rectificationId: string;
  summary: string;
}

export async function currentObligationPolicy(models: Models, code: string): Promise<ObligationPolicy | null> {
  const found = await currentPolicy(models, code);
  return found ? { version: found.version, entry: found.entry } : null;
}

/** Roles that may act for an organisation's body (no named person). */
const ORG_ROLES: Assignee['roles'] = ['unit'];
/** A named person acts under whichever account role he signs in with; the person check is what binds. */
const PERSON_ROLES: Assignee['roles'] = ['leader', 'supervisor', 'caseOfficer', 'unit'];

async function cityDicOf(models: Models, org: Org): Promise<Org | null> {
  // The Yiwu municipal DIC: the DIC beside the nearest PC above of category city.
  const ancestors = await models.Org.find({ _id: { $in: org.path.filter((id) => id !== org._id) } }).lean<Org[]>();
  const byId = new Map(ancestors.map((a) => [a._id, a]));
  for (const id of [...org.path].reverse()) {
    const a = byId.get(id);
    if (a?.kind === 'pc' && a.category === 'city') return dicOf(models, a._id);
  }
  return upperDicOf(models, org._id);
}

async function recipientOrg(models: Models, org: Org, recipient: Recipient): Promise<Org | null> {
  switch (recipient) {
    case 'none':
      return null;
    case 'upperDic':
    case 'samePc+upperDic':
      return upperDicOf(models, org._id);
    case 'cityDic':
    case 'cityPc+cityDic':
      return cityDicOf(models, org);
    case 'samePc':
      if (org.kind === 'pc') return org;
      return org.parentId ? models.Org.findById(org.parentId).lean<Org>() : null;
    case 'ownDic':
      return org.kind === 'pc' ? dicOf(models, org._id) : supervisingDicOf(models, org._id);
  }
}

async function recipientAssignee(models: Models, org: Org): Promise<ObligationParties['recipient']> {
  if (org.kind === 'dic') return { orgId: org._id, roles: ['supervisor', 'caseOfficer'], orgPath: org.path };
  // A PC accepts through its principal leader (e.g. PM-QUARTERLY-REPORT, Art. 8(1)).
  const leader = await holderOf(models, org._id, 'principalLeader');
  return leader ? { orgId: org._id, roles: PERSON_ROLES, personId: leader._id, orgPath: org.path } : { orgId: org._id, roles: ['leader', 'unit'], orgPath: org.path };
}

/** The parties of a period, or null when the organisation is gone or inactive (the cycle then ends). */
export async function obligationParties(models: Models, input: { orgId: string; personId?: string; entry: PolicyEntry }): Promise<ObligationParties | null> {
  const org = await models.Org.findById(input.orgId).lean<Org>();
  if (!org || org.active === false) return null;
  const { entry } = input;
  let assignee: Assignee = { orgId: org._id, roles: ORG_ROLES };
  if (input.personId) {
    assignee = { orgId: org._id, roles: PERSON_ROLES, personId: input.personId };
  } else if (entry.actor.post) {
    const holder: Person | null = await holderOf(models, org._id, entry.actor.post);
    if (holder) assignee = { orgId: org._id, roles: PERSON_ROLES, personId: holder._id };
  }
  const supervising = await supervisingDicOf(models, org._id);
  const upper = await upperDicOf(models, org._id);
  const escalateTo = [...new Set([supervising?._id, upper?._id].filter((id): id is string => !!id && id !== org._id))];
  const to = await recipientOrg(models, org, entry.recipient);
  return {
    orgPath: org.path,
    assignee,
    escalateTo,
    deciderOrgId: upper?._id ?? supervising?._id ?? org._id,
    recipient: to ? await recipientAssignee(models, to) : null,
  };
}

/**
 * The rectification accounts recorded for an organisation and year (written by the
 * rectification process when it closes), which its annual report (PC-ANNUAL-REPORT) must give.
 */
export async function requiredAccountsFor(models: Models, input: { orgId: string; year: number }): Promise<RequiredRectificationAccount[]> {
  const records = await requiredRectificationAccounts(models, input.orgId, input.year);
  return records.map((r) => ({ rectificationId: r.rectificationId, summary: r.summary }));
}

export interface OpenPeriodInput {
  periodId: string;
  cycleId: string;
  orgId: string;
  orgPath: string[];
  personId?: string;
  code: string;
  periodKey: string;
  periodStart: string;
  policyVersion: number;
  dueDate: string;
  required: number;
  at: string;
}

export async function openObligationPeriod(models: Models, input: OpenPeriodInput): Promise<void> {
  const { periodId, at, ...fields } = input;
  await upsertById(models.ObligationPeriod, periodId, { $set: { ...fields, openedAt: new Date(at) }, $setOnInsert: { state: 'open', records: 0 } });
}

/** Which state may follow which: a late record turns a miss into "met late"; nothing reopens. */
const FROM: Record<Exclude<ObligationPeriodState, 'open'>, ObligationPeriodState[]> = {
  met: ['open'],
  late: ['open', 'missed'],
  missed: ['open'],
  withdrawn: ['open'],
};

export interface PeriodProgressInput {
  periodId: string;
  records: number;
  historyLength: number;
  state?: Exclude<ObligationPeriodState, 'open'>;
  at?: string;
  reason?: string;
}

/** Writes the count of accepted records and, with `state`, the period's result (only along FROM). */
export async function updateObligationPeriod(models: Models, input: PeriodProgressInput): Promise<void> {
  const set: Record<string, unknown> = { records: input.records, historyLength: input.historyLength };
  if (!input.state) {
    await models.ObligationPeriod.updateOne({ _id: input.periodId }, { $set: set });
    return;
  }
  const result: Record<string, unknown> = { ...set, state: input.state, ...(input.reason ? { reason: input.reason } : {}) };
  // A miss is a provisional end; the period closes when it is met, met late or withdrawn.
  if (input.state !== 'missed' && input.at) result.closedAt = new Date(input.at);
  const from = FROM[input.state];
  await updateByIdWhen<{ state: ObligationPeriodState }>(models.ObligationPeriod, input.periodId, (period) => period !== null && from.includes(period.state), { $set: result });
}

export async function noteObligationCycleRun(models: Models, input: { periodId: string; cycleHistoryLength: number }): Promise<void> {
  // The period process may not have written its record yet: create it as open if so.
  await upsertById(models.ObligationPeriod, input.periodId, { $set: { cycleHistoryLength: input.cycleHistoryLength }, $setOnInsert: { state: 'open', records: 0 } });
}

/** Period processes of a cycle that may still hold open tasks (open or missed periods). */
export async function openObligationPeriods(models: Models, cycleId: string): Promise<string[]> {
  const docs = await models.ObligationPeriod.find({ cycleId, state: { $in: ['open', 'missed'] } }, { _id: 1 }).lean<Array<{ _id: string }>>();
  return docs.map((d) => d._id);
}

/**
 * Starts a period's process as a workflow of its own (not a child of the cycle): it outlives
 * the cycle run that opens it, and a parent that continues as new every period gains nothing
 * from the child relation (the time-skipping test server also stalls on abandoned children of
 * a continued-as-new parent: temporalio/sdk-java#1539). Idempotent: an existing ID is success.
 */
export async function startObligationPeriod(input: { workflowId: string; taskQueue: string; searchAttributes: boolean; args: ObligationPeriodInput }): Promise<'started' | 'exists'> {
  const { identity } = input.args;
  try {
    await getClient().workflow.start('obligationPeriod', {
      workflowId: input.workflowId,
      taskQueue: input.taskQueue,
      args: [input.args],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(input.searchAttributes
        ? {
            typedSearchAttributes: [
              { key: ProcessTypeKey, value: identity.processType },
              { key: OrgIdKey, value: identity.orgId },
              { key: OrgPathKey, value: identity.orgPath },
            ],
          }
        : {}),
    });
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'exists';
    throw err;
  }
}

/** The obligation activities bound to the models (spread into createActivities). */
export function obligationActivities(models: Models) {
  return {
    currentObligationPolicy: (code: string) => currentObligationPolicy(models, code),
    obligationParties: (input: { orgId: string; personId?: string; entry: PolicyEntry }) => obligationParties(models, input),
    requiredRectificationAccounts: (input: { orgId: string; year: number }) => requiredAccountsFor(models, input),
    openObligationPeriod: (input: OpenPeriodInput) => openObligationPeriod(models, input),
    updateObligationPeriod: (input: PeriodProgressInput) => updateObligationPeriod(models, input),
    noteObligationCycleRun: (input: { periodId: string; cycleHistoryLength: number }) => noteObligationCycleRun(models, input),
    openObligationPeriods: (cycleId: string) => openObligationPeriods(models, cycleId),
    startObligationPeriod,
  };
}
