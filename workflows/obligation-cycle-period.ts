/**
 * One period of one obligation cycle (started by workflows/obligation-cycle.ts as an
 * abandoned child, ID `<cycleId>:<periodKey>`): it opens the record task, takes the
 * recipient's acceptance where the policy asks for it, counts accepted records up to the
 * policy's minimum, and records the period met, met late or missed.
 *
 * A miss does not close the period's tasks: at the end of the due date the period is
 * recorded as missed, and the open task stays open, escalating through its own ladder and
 * taking a late record, which turns the miss into "met late". The cycle meanwhile goes on
 * to the next period; that is why a period is a process of its own and not a step of the
 * cycle's run (whose history must stay small, and which continues as new every period).
 */
import { allHandlersFinished, condition, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import { addDays, endOfDayMs, localDateOf, yearOf } from '../domain/calendar.js';
import { DEFAULT_ACCEPTANCE_DUE_DAYS, dueDateFor, type Period } from '../domain/obligations/due-dates.js';
import type { ObligationAcceptance, ObligationRecord } from '../domain/obligations/forms.js';
import type { TaskSpec } from '../domain/tasks.js';
import type { ObligationParties, RequiredRectificationAccount } from '../activities/obligations.js';
import { ProcessCancelled, ProcessRuntime, runProcess, type PayloadRule, type ProcessIdentity } from './lib/process-runtime.js';
import { db } from './lib/activity-options.js';
import { obligationPeriodModel } from './obligation-cycle.model.js';
import type { PolicyEntry } from '../domain/obligations/policy-entry.js';

/** Sent by the cycle when the organisation leaves the duty: open tasks are cancelled with the reason. */
export const withdrawPeriodSignal = defineSignal<[string]>('withdrawPeriod');

/** The annual report must account for the rectifications of its year (Art. 6(12), 10(1)). */
export const ANNUAL_REPORT_CODE = 'PC-ANNUAL-REPORT';

export interface ObligationPeriodInput {
  identity: ProcessIdentity;
  cycleId: string;
  code: string;
  personId?: string;
  policy: { version: number; entry: PolicyEntry };
  period: Period;
  parties: ObligationParties;
}

export type ObligationPeriodResult = { state: 'met' | 'late'; records: number } | { withdrawn: string };

/** An annual report may be accepted only when it gives every required rectification account. */
export function accountsRule(required: RequiredRectificationAccount[], report: ObligationRecord | undefined): string[] {
  const given = new Set((report?.rectificationAccounts ?? []).map((a) => a.rectificationId));
  return required
    .filter((r) => !given.has(r.rectificationId))
    .map((r) => `the annual report lacks the account of rectification ${r.rectificationId} (Art. 6(12), 10(1))`);
}

export async function obligationPeriod(input: ObligationPeriodInput): Promise<ObligationPeriodResult | { cancelled: string }> {
  const { code, period, parties } = input;
  const { entry, version } = input.policy;
  const periodId = workflowInfo().workflowId;
  const dueDate = dueDateFor(entry, period.start);
  const required = entry.minimumCount;
  const isAnnualReport = code === ANNUAL_REPORT_CODE;
  const acceptance = entry.requiresAcceptance ? parties.recipient : null;
  let accepted = 0;
  let allOnTime = true;
  let state: 'open' | 'met' | 'late' | 'missed' | 'withdrawn' = 'open';
  let withdrawn: string | undefined;

  const runtime = new ProcessRuntime(input.identity, obligationPeriodModel);
  runtime.details = () => ({ code, periodKey: period.key, policyVersion: version, dueDate, required, accepted, state });
  setHandler(withdrawPeriodSignal, (reason: string) => {
    withdrawn ??= reason;
  });

  await runtime.start({ code, periodKey: period.key, policyVersion: version, dueDate });
  await db.openObligationPeriod({
    periodId,
    cycleId: input.cycleId,
    orgId: input.identity.orgId,
    orgPath: input.identity.orgPath,
    ...(input.personId ? { personId: input.personId } : {}),
    code,
    periodKey: period.key,
    periodStart: period.start,
    policyVersion: version,
    dueDate,
    required,
    at: new Date().toISOString(),
  });
  const progress = (next?: 'met' | 'late' | 'missed' | 'withdrawn', reason?: string) =>
    db.updateObligationPeriod({
      periodId,
      records: accepted,
      historyLength: workflowInfo().historyLength,
      ...(next ? { state: next, at: new Date().toISOString() } : {}),
      ...(reason ? { reason } : {}),
    });

  const common = { key: period.key, escalateTo: parties.escalateTo, deciderOrgId: parties.deciderOrgId };
  const recordSpec = (accounts: RequiredRectificationAccount[]): TaskSpec => ({
    ...common,
    elementId: 'submitRecord',
    form: 'obligationRecord',
    title: `${entry.title} (${period.key}, record ${accepted + 1} of ${required})`,
    titleZh: `${entry.titleZh}（${period.key}）`,
    assignee: parties.assignee,
    orgPath: parties.orgPath,
    dueDate,
    escalation: entry.escalation,
    context: { code, articles: entry.articles, periodKey: period.key, evidence: entry.evidence, required, accepted, ...(isAnnualReport ? { requiredRectificationAccounts: accounts } : {}) },
  });

  async function collectRecords(): Promise<void> {
    while (accepted < required) {
      if (withdrawn) return;
      const accounts = isAnnualReport ? await db.requiredRectificationAccounts({ orgId: input.identity.orgId, year: yearOf(period.start) }) : [];
      // Without an acceptance step the report itself must carry the accounts.
      const ownRule: PayloadRule<ObligationRecord> | undefined = isAnnualReport && !acceptance ? (report) => accountsRule(accounts, report) : undefined;
      const record = await runtime.userTask<ObligationRecord>(recordSpec(accounts), ownRule);
      if (acceptance) {
        const { orgPath, ...assignee } = acceptance;
        const current = isAnnualReport ? await db.requiredRectificationAccounts({ orgId: input.identity.orgId, year: yearOf(period.start) }) : [];
        const rule: PayloadRule<ObligationAcceptance> | undefined = isAnnualReport
          ? (decision) => (decision.decision === 'accept' ? accountsRule(current, record.result) : [])
          : undefined;
        const decision = await runtime.userTask<ObligationAcceptance>(
          {
            ...common,
            elementId: 'acceptRecord',
            form: 'obligationAcceptance',
            title: `Accept or return: ${entry.title} (${period.key})`,
            titleZh: `审核：${entry.titleZh}（${period.key}）`,
            assignee,
            orgPath,
            // A process started before the field existed runs with the default it had then.
            dueDate: addDays(localDateOf(Date.now()), entry.acceptanceDueDays ?? DEFAULT_ACCEPTANCE_DUE_DAYS),
            // The ladder is the duty-bearer's; the recipient gets reminders only.
            escalation: { ...entry.escalation, steps: [] },
            escalateTo: [],
            context: { code, periodKey: period.key, record: record.result, submittedBy: record.completedBy, submittedLate: record.late, ...(isAnnualReport ? { requiredRectificationAccounts: current } : {}) },
          },
          rule,
        );
        if (decision.result.decision === 'return') continue;
      }
      accepted += 1;
      if (record.late) allOnTime = false;
      if (accepted < required) await progress();
    }
  }

  async function withdraw(reason: string): Promise<void> {
    if (state === 'open') state = 'withdrawn';
    await progress('withdrawn', reason);
    await runtime.cancel(undefined, reason);
  }

  return runProcess(runtime, async (): Promise<ObligationPeriodResult> => {
    let finished = false;
    const records = collectRecords().finally(() => {
      finished = true;
    });
    // A withdrawal cancels the open task, whose userTask then throws: handled below.
    records.catch(() => undefined);
    const done = records.then(
      () => 'done' as const,
      (err: unknown) => {
        if (err instanceof ProcessCancelled && withdrawn) return 'withdrawn' as const;
        throw err;
      },
    );
    const gone = condition(() => withdrawn !== undefined).then(() => 'withdrawn' as const);
    // condition() rather than sleep(): its timer is cancelled when the records come first, so
    // no timer is left behind when the process ends.
    const untilDue = endOfDayMs(dueDate) + 1 - Date.now();
    const due =
      untilDue > 0
        ? condition(() => finished || withdrawn !== undefined, untilDue).then((early) => (early ? ('early' as const) : ('due' as const)))
        : Promise.resolve('due' as const);

    let first = await Promise.race([done, gone, due]);
    if (first === 'due' && accepted < required && !withdrawn) {
      state = 'missed';
      runtime.enter('recordMissed');
      await progress('missed');
      runtime.leave('recordMissed');
      runtime.pass('missedRecorded');
      await runtime.record('obligation.missed', 'recordMissed', { periodKey: period.key, accepted, required, dueDate });
    }
    if (first === 'due' || first === 'early') first = await Promise.race([done, gone]);
    if (first === 'withdrawn' || withdrawn) {
      const reason = withdrawn ?? 'withdrawn';
      await withdraw(reason);
      await condition(allHandlersFinished);
      return { withdrawn: reason };
    }
    state = state === 'missed' || !allOnTime ? 'late' : 'met';
    runtime.enter('recordResult');
    await progress(state);
    runtime.leave('recordResult');
    return { state, records: accepted };
  });
}
