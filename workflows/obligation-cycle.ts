/**
 * The obligation cycle of one organisation (or one post-holder) and one duty code
 * (issue 5): workflow ID `obligation:<orgId>:<code>` (per holder `…:<personId>`). Each run
 * handles one period: it waits until the period opens, reads the policy in force at that
 * moment (so an edit changes the next period, never the open one), starts the period's
 * process (workflows/obligation-cycle-period.ts) and continues as new into the next
 * period, so a run's history is a few dozen events however many years pass.
 *
 * Leaving (org dissolved, duty withdrawn) is the `leaveObligation` update: the cycle
 * withdraws its periods still holding open tasks (their tasks are cancelled with the
 * reason, an open period is recorded as withdrawn) and ends.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { nextPeriodStart, startOfDayMs, type LocalDate } from '../domain/calendar.js';
import { opensOn, periodFor } from '../domain/obligations/due-dates.js';
import type { PolicyEntry } from '../domain/obligations/policy-entry.js';
import { TaskRejection, type Actor } from '../domain/tasks.js';
import { db } from './lib/activity-options.js';
import { withdrawPeriodSignal, type ObligationPeriodInput } from './obligation-cycle-period.js';

export interface ObligationCycleInput {
  orgId: string;
  orgPath: string[];
  /** Set for a per-holder duty (actor.perHolder): the person who owes it. */
  personId?: string;
  code: string;
  /** The policy as read by whoever started this run; re-read when the period opens later. */
  policy: { version: number; entry: PolicyEntry };
  /** First day of the period this run handles (or any day in it). */
  periodStart: LocalDate;
  startedBy: Actor;
  /** Whose case officers may cancel a period process (the enrolling DIC). */
  issuerOrgId: string;
  searchAttributes?: boolean;
  counters: { runs: number; periodsStarted: number };
}

export interface LeaveObligationInput {
  actor: Actor;
  reason: string;
}

export interface ObligationCycleState {
  cycleId: string;
  orgId: string;
  personId?: string;
  code: string;
  periodKey: string;
  periodOpensOn: LocalDate;
  policyVersion: number;
  status: 'waiting' | 'opening' | 'leaving';
  counters: ObligationCycleInput['counters'];
}

export const leaveObligationUpdate = defineUpdate<{ leaving: true }, [LeaveObligationInput]>('leaveObligation');
export const obligationCycleQuery = defineQuery<ObligationCycleState>('obligationCycleState');

export const obligationCycleId = (orgId: string, code: string, personId?: string) =>
  personId ? `obligation:${orgId}:${code}:${personId}` : `obligation:${orgId}:${code}`;

export async function obligationCycle(input: ObligationCycleInput): Promise<{ left: string }> {
  const cycleId = workflowInfo().workflowId;
  let policy = input.policy;
  let period = periodFor(policy.entry, input.periodStart);
  let status: ObligationCycleState['status'] = 'waiting';
  let leaving: LeaveObligationInput | undefined;
  // Read through a function: the update handler sets it between awaits, which narrowing cannot see.
  const leavingNow = (): LeaveObligationInput | undefined => leaving;

  setHandler(obligationCycleQuery, () => ({
    cycleId,
    orgId: input.orgId,
    ...(input.personId ? { personId: input.personId } : {}),
    code: input.code,
    periodKey: period.key,
    periodOpensOn: opensOn(policy.entry, period.start),
    policyVersion: policy.version,
    status,
    counters: input.counters,
  }));
  setHandler(
    leaveObligationUpdate,
    (leave: LeaveObligationInput) => {
      leaving ??= leave;
      return { leaving: true as const };
    },
    {
      validator: ({ reason }: LeaveObligationInput) => {
        if (!reason.trim()) throw ApplicationFailure.create({ type: TaskRejection.invalidPayload, message: 'a reason is required' });
      },
    },
  );

  const leave = async (reason: string, startedHere?: string): Promise<{ left: string }> => {
    status = 'leaving';
    const open = new Set(await db.openObligationPeriods(cycleId));
    if (startedHere) open.add(startedHere);
    for (const id of open) {
      try {
        await getExternalWorkflowHandle(id).signal(withdrawPeriodSignal, reason);
      } catch {
        // Already ended (met, late, or cancelled by its issuer): nothing to withdraw.
      }
    }
    await db.recordAudit({
      entryId: `${cycleId}:left:${workflowInfo().runId}`,
      at: new Date().toISOString(),
      actor: leaving ? { kind: 'user', ...leaving.actor } : { kind: 'system' },
      action: 'obligation.left',
      target: { kind: 'process', id: cycleId },
      orgId: input.orgId,
      orgPath: input.orgPath,
      processId: cycleId,
      outcome: 'ok',
      details: { code: input.code, reason, periods: [...open] },
    });
    await condition(allHandlersFinished);
    return { left: reason };
  };

  // Wait for the period to open; the policy in force when it opens is the period's.
  for (;;) {
    const opensAt = startOfDayMs(opensOn(policy.entry, period.start));
    if (Date.now() >= opensAt) break;
    if (await condition(() => leaving !== undefined, opensAt - Date.now())) return leave(leavingNow()?.reason ?? 'left');
    const current = await db.currentObligationPolicy(input.code);
    if (!current) return leave(`policy ${input.code} no longer exists`);
    policy = current;
    period = periodFor(policy.entry, period.start);
  }
  const early = leavingNow();
  if (early) return leave(early.reason);

  status = 'opening';
  const parties = await db.obligationParties({ orgId: input.orgId, ...(input.personId ? { personId: input.personId } : {}), entry: policy.entry });
  if (!parties) return leave('the organisation no longer exists or is inactive');

  const periodId = `${cycleId}:${period.key}`;
  const args: ObligationPeriodInput = {
    identity: {
      processType: 'obligation-period',
      title: `${input.code} ${period.key}`,
      orgId: input.orgId,
      orgPath: parties.orgPath,
      startedBy: input.startedBy,
      issuerOrgId: input.issuerOrgId,
      ...(input.searchAttributes === false ? { searchAttributes: false } : {}),
    },
    cycleId,
    code: input.code,
    ...(input.personId ? { personId: input.personId } : {}),
    policy,
    period,
    parties,
  };
  // Its own workflow, not a child: the period outlives this run (its late tail runs while the
  // next period waits). A period already run (an earlier enrolment) is not run twice.
  await db.startObligationPeriod({ workflowId: periodId, taskQueue: workflowInfo().taskQueue, searchAttributes: input.searchAttributes !== false, args });
  await db.noteObligationCycleRun({ periodId, cycleHistoryLength: workflowInfo().historyLength });
  await condition(allHandlersFinished);
  const left = leavingNow();
  if (left) return leave(left.reason, periodId);

  return continueAsNew<typeof obligationCycle>({
    ...input,
    policy,
    periodStart: nextPeriodStart(policy.entry.period, period.start),
    counters: { runs: input.counters.runs + 1, periodsStarted: input.counters.periodsStarted + 1 },
  });
}
