/**
 * Obligation cycles from the API: enrol an organisation (or a subtree) in the duties that
 * apply to it, leave them, and read the period results supervisors watch.
 */
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { ApiError, notFound } from '../http/errors.js';
import { LocalDateParam, Page, PageQuery } from '../http/schemas.js';
import { loadOrg, requireCaseRemit, scopeFilter } from '../auth/access.js';
import { findPage } from '../http/paging.js';
import { startProcess } from '../processes/start.js';
import { toApiError } from '../processes/temporal-errors.js';
import { addMonths, compareDates, localDateOf, periodEnd, type LocalDate } from '../../domain/calendar.js';
import { dueDateFor, opensOn, periodsOf } from '../../domain/obligations/due-dates.js';
import { DATE_POLICY_CODE } from '../../domain/date-input.js';
import { datePolicy } from '../http/dates.js';
import { PolicyCode } from '../../domain/obligations/policy-entry.js';
import { currentPolicies, type PolicyVersion } from '../../models/policy.js';
import { supervisingDicOf } from '../../models/org-queries.js';
import { OBLIGATION_PERIOD_STATES, type ObligationPeriod } from '../../models/obligation-period.js';
import type { Org } from '../../models/org.js';
import type { Person } from '../../models/person.js';
import type { Models } from '../../models/index.js';
import { leaveObligationUpdate, obligationCycle, obligationCycleId } from '../../workflows/obligation-cycle.js';
import { actorOf } from '../auth/tokens.js';

const EnrolBody = z
  .object({
    orgId: z.string().min(1),
    subtree: z.boolean().default(false).describe('also every active organisation below'),
    fromPeriod: LocalDateParam.optional().describe('the first period is the one containing this date (default: today in Shanghai)'),
    codes: z.array(PolicyCode).min(1).optional().describe('only these duties (default: every duty that applies)'),
  })
  .strict();

const LeaveBody = z
  .object({
    orgId: z.string().min(1),
    subtree: z.boolean().default(false),
    codes: z.array(PolicyCode).min(1).optional(),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();

const PeriodItem = z.object({
  id: z.string().describe('the period process ID, obligation:<orgId>:<code>[:<personId>]:<periodKey>'),
  cycleId: z.string(),
  orgId: z.string(),
  personId: z.string().optional(),
  code: z.string(),
  periodKey: z.string(),
  periodStart: z.string(),
  policyVersion: z.number().int(),
  dueDate: z.string(),
  state: z.enum(OBLIGATION_PERIOD_STATES),
  records: z.number().int(),
  required: z.number().int(),
  openedAt: z.string().optional(),
  closedAt: z.string().optional(),
  historyLength: z.number().int().optional(),
  cycleHistoryLength: z.number().int().optional(),
  reason: z.string().optional(),
});

const ListQuery = PageQuery.extend({
  orgId: z.string().min(1).optional().describe('the organisation and its subtree'),
  code: PolicyCode.optional(),
  periodKey: z.string().min(1).max(20).optional(),
  state: z.enum(OBLIGATION_PERIOD_STATES).optional(),
});

const Backfilled = z.object({
  cycleId: z.string(),
  periodKey: z.string(),
  periodStart: z.string(),
  dueDate: z.string(),
  pastDue: z.boolean().describe('due before today: the period opens late (and is likely missed)'),
});

/**
 * [reading] Enrolling from a past date opens every period from there to today at once, most of
 * them missed already. How far back is bounded by policy (INPUT-DATES `enrolBackfillMonths`):
 * the first period of every duty enrolled must end within that many months before today.
 */
async function requireBackfillWithinPolicy(models: Models, fromPeriod: LocalDate, today: LocalDate, policies: PolicyVersion[]): Promise<void> {
  const { enrolBackfillMonths } = await datePolicy(models);
  const earliest = addMonths(today, -enrolBackfillMonths);
  const tooOld = policies.filter((p) => compareDates(periodEnd(p.entry.period, fromPeriod), earliest) < 0).map((p) => p.code);
  if (tooOld.length > 0) {
    throw new ApiError(
      'unprocessable',
      `fromPeriod ${fromPeriod} reaches back more than ${enrolBackfillMonths} months for ${tooOld.join(', ')}: the first period must end on or after ${earliest} (policy ${DATE_POLICY_CODE}, enrolBackfillMonths)`,
      { fromPeriod, earliest, enrolBackfillMonths, codes: tooOld },
    );
  }
}

/** The periods a new cycle from `fromPeriod` opens at once: every one whose task opens by today. */
function backfilledPeriods(cycleId: string, entry: PolicyVersion['entry'], fromPeriod: LocalDate, today: LocalDate): Array<z.infer<typeof Backfilled>> {
  return periodsOf(entry, fromPeriod, today)
    .filter((period) => compareDates(opensOn(entry, period.start), today) <= 0)
    .map((period) => {
      const dueDate = dueDateFor(entry, period.start);
      return { cycleId, periodKey: period.key, periodStart: period.start, dueDate, pastDue: compareDates(dueDate, today) < 0 };
    });
}

/** A DIC takes the category of the PC it sits beside (docs/decisions.md, obligation catalogue). */
async function categoryOf(models: Models, org: Org): Promise<string> {
  if (org.kind !== 'dic' || !org.parentId) return org.category ?? 'other';
  const pc = await loadOrg(models, org.parentId);
  return pc?.category ?? org.category ?? 'other';
}

export function appliesToOrg(entry: PolicyVersion['entry'], org: Pick<Org, 'kind'>, category: string): boolean {
  const { appliesTo } = entry;
  if (appliesTo.orgKind !== org.kind) return false;
  return !appliesTo.categories || (appliesTo.categories as string[]).includes(category);
}

interface CycleTarget {
  id: string;
  org: Org;
  personId?: string;
  policy: PolicyVersion;
}

/** Every cycle an org owes: one per applicable code, or one per holder for per-holder duties. */
async function cyclesOf(models: Models, org: Org, policies: PolicyVersion[], onlyApplicable: boolean): Promise<CycleTarget[]> {
  const category = await categoryOf(models, org);
  const people = await models.Person.find({ orgIds: org._id }).lean<Person[]>();
  const targets: CycleTarget[] = [];
  for (const policy of policies) {
    const { entry } = policy;
    if (onlyApplicable && !appliesToOrg(entry, org, category)) continue;
    if (entry.actor.perHolder && entry.actor.post) {
      const holders = people.filter((p) => p.posts.some((post) => post.orgId === org._id && post.post === entry.actor.post));
      for (const holder of holders) targets.push({ id: obligationCycleId(org._id, entry.code, holder._id), org, personId: holder._id, policy });
    } else {
      targets.push({ id: obligationCycleId(org._id, entry.code), org, policy });
    }
  }
  return targets;
}

async function orgsInScope(models: Models, principal: Principal, orgId: string, subtree: boolean): Promise<Org[]> {
  const root = await loadOrg(models, orgId);
  if (!root) throw notFound(`organisation ${orgId}`);
  await requireCaseRemit(models, principal, root);
  if (!subtree) return root.active === false ? [] : [root];
  return models.Org.find({ path: root._id, active: { $ne: false } }).sort({ _id: 1 }).lean<Org[]>();
}

async function policiesFor(models: Models, codes: string[] | undefined): Promise<PolicyVersion[]> {
  // The policies collection also holds process policies (e.g. PROCESS-RECTIFICATION): duties only.
  const all = (await currentPolicies(models)).filter((p): p is PolicyVersion => 'actor' in p.entry && 'appliesTo' in p.entry);
  if (!codes) return all;
  const unknown = codes.filter((c) => !all.some((p) => p.code === c));
  if (unknown.length > 0) throw new ApiError('unprocessable', `unknown duty codes: ${unknown.join(', ')}`, { unknown });
  return all.filter((p) => codes.includes(p.code));
}

export function obligationEndpoints(api: Endpoints, deps: AppDeps): void {
  const { models, temporal } = deps;

  api.add(
    {
      method: 'post',
      path: '/api/v1/obligations/enrol',
      summary: 'Put an organisation (or its subtree) under the recurring duties that apply to it, from a period on; idempotent',
      tag: 'obligations',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      body: EnrolBody,
      response: {
        status: 200,
        description: 'cycles started now, those already running (or run) under the same ID, and the past periods the new cycles open at once',
        schema: z.object({ started: z.array(z.string()), alreadyEnrolled: z.array(z.string()), backfilled: z.array(Backfilled) }),
      },
      errors: [403, 404, 422],
      idempotent: true,
    },
    async ({ body, principal }) => {
      const orgs = await orgsInScope(models, principal, body.orgId, body.subtree);
      const policies = await policiesFor(models, body.codes);
      const today = localDateOf(Date.now());
      const fromPeriod = body.fromPeriod ?? today;
      await requireBackfillWithinPolicy(models, fromPeriod, today, policies);
      const started: string[] = [];
      const alreadyEnrolled: string[] = [];
      const backfilled: Array<z.infer<typeof Backfilled>> = [];
      for (const org of orgs) {
        const issuerOrgId = principal.role === 'caseOfficer' ? principal.orgId : ((await supervisingDicOf(models, org._id))?._id ?? org._id);
        for (const target of await cyclesOf(models, org, policies, true)) {
          try {
            await startProcess(temporal, obligationCycle, {
              workflowId: target.id,
              processType: 'obligation-cycle',
              orgId: org._id,
              orgPath: org.path,
              taskQueue: deps.config.TASK_QUEUE,
              args: [
                {
                  orgId: org._id,
                  orgPath: org.path,
                  ...(target.personId ? { personId: target.personId } : {}),
                  code: target.policy.code,
                  policy: { version: target.policy.version, entry: target.policy.entry },
                  periodStart: fromPeriod,
                  startedBy: actorOf(principal),
                  issuerOrgId,
                  counters: { runs: 0, periodsStarted: 0 },
                },
              ],
            });
            started.push(target.id);
            backfilled.push(...backfilledPeriods(target.id, target.policy.entry, fromPeriod, today));
          } catch (err) {
            if (err instanceof ApiError && err.code === 'conflict') alreadyEnrolled.push(target.id);
            else throw err;
          }
        }
      }
      return { started, alreadyEnrolled, backfilled };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/obligations/leave',
      summary: 'End the cycles of an organisation (dissolved, duty withdrawn): open tasks are cancelled with the reason',
      tag: 'obligations',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      body: LeaveBody,
      response: { status: 200, description: 'the cycles told to leave', schema: z.object({ left: z.array(z.string()) }) },
      errors: [403, 404, 422],
      idempotent: true,
    },
    async ({ body, principal }) => {
      const orgs = await orgsInScope(models, principal, body.orgId, body.subtree);
      const policies = await policiesFor(models, body.codes);
      const actor = actorOf(principal);
      const left: string[] = [];
      for (const org of orgs) {
        // Every code, applicable or not: the policy may have changed since enrolment.
        for (const target of await cyclesOf(models, org, policies, false)) {
          try {
            await temporal.workflow.getHandle(target.id).executeUpdate(leaveObligationUpdate, { args: [{ actor, reason: body.reason }] });
            left.push(target.id);
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) continue;
            const mapped = toApiError(err);
            if (mapped instanceof ApiError && (mapped.code === 'conflict' || mapped.code === 'not_found')) continue;
            throw mapped;
          }
        }
      }
      return { left };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/obligations',
      summary: 'Period results of the obligation cycles (open, met, late, missed, withdrawn), newest period first',
      tag: 'obligations',
      access: 'authenticated',
      roles: ['supervisor', 'caseOfficer', 'admin'],
      query: ListQuery,
      response: { status: 200, description: 'a page of period results', schema: Page(PeriodItem) },
      errors: [403],
    },
    async ({ query, principal }) => {
      const parts: Record<string, unknown>[] = [await scopeFilter(models, principal)];
      if (query.orgId) parts.push({ orgPath: query.orgId });
      if (query.code) parts.push({ code: query.code });
      if (query.periodKey) parts.push({ periodKey: query.periodKey });
      if (query.state) parts.push({ state: query.state });
      const filter = { $and: parts };
      return findPage(models.ObligationPeriod, filter, { periodStart: -1, code: 1, _id: 1 }, query, toItem);
    },
  );
}

function toItem(d: ObligationPeriod): z.input<typeof PeriodItem> {
  return {
    id: d._id,
    cycleId: d.cycleId,
    orgId: d.orgId,
    ...(d.personId ? { personId: d.personId } : {}),
    code: d.code,
    periodKey: d.periodKey,
    periodStart: d.periodStart,
    policyVersion: d.policyVersion,
    dueDate: d.dueDate,
    state: d.state,
    records: d.records ?? 0,
    required: d.required ?? 1,
    ...(d.openedAt ? { openedAt: d.openedAt.toISOString() } : {}),
    ...(d.closedAt ? { closedAt: d.closedAt.toISOString() } : {}),
    ...(typeof d.historyLength === 'number' ? { historyLength: d.historyLength } : {}),
    ...(typeof d.cycleHistoryLength === 'number' ? { cycleHistoryLength: d.cycleHistoryLength } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
  };
}
