/**
 * Rectification (整改, Art. 6(12), 11(2)): after the upper level's feedback the target PC
 * sends a written plan within a month; the upper-level DIC accepts it or returns it;
 * from the plan's submission a progress report falls due every three calendar months
 * until every item is reported rectified; the upper-level DIC then closes the
 * rectification or reopens named items; a closed rectification must be accounted for in
 * the target's next annual report. It ends only by closure or by its issuer's
 * cancellation. Every offset and the ladder come from the policy version in the input.
 */
import { addDays, endOfDayMs, localDateOf, type LocalDate } from '../domain/calendar.js';
import type { RectificationPolicy } from '../domain/rectification/policy.js';
import type { RectificationClosureForm, RectificationPlanForm, RectificationProgressForm, RectificationReviewForm } from '../domain/rectification/forms.js';
import { closureProblems, planProblems, progressProblems } from '../domain/rectification/rules.js';
import { nextProgressNumberAfter, planDueDate, progressDueDate, resubmissionDueDate } from '../domain/rectification/schedule.js';
import type { Role, TaskSpec } from '../domain/tasks.js';
import { db } from './lib/activity-options.js';
import { ProcessRuntime, runProcess, type ProcessIdentity } from './lib/process-runtime.js';
import { rectificationModel } from './rectification.model.js';

export interface RectificationFinding {
  findingId: string;
  title: string;
  detail: string;
}

/** An organisation that acts in the process, with who hears of its overdue tasks. */
export interface RectificationParty {
  orgId: string;
  orgPath: string[];
  /** Account roles of that org that complete its tasks. */
  roles: Role[];
  escalateTo: string[];
  deciderOrgId: string;
}

export interface RectificationInput {
  identity: ProcessIdentity;
  feedbackId: string;
  feedbackDate: LocalDate;
  channel: 'faceToFace' | 'written' | 'problemList';
  issuingOrgId: string;
  /** The PC that must rectify. */
  target: RectificationParty;
  /** The upper-level DIC that reviews the plan and closes the rectification (Art. 11(2)). */
  reviewer: RectificationParty;
  /** The target's principal leader, the first responsible person (第一责任人). */
  responsiblePerson?: { personId: string; name: string };
  findings: RectificationFinding[];
  policy: { version: number; entry: RectificationPolicy };
}

export interface RectificationItem {
  itemId: string;
  findingId: string;
  title: string;
  measures: string;
  responsiblePersonId?: string;
  responsibleName?: string;
  targetDate: LocalDate;
  state: 'open' | 'rectified';
  rectifiedInReport?: number;
  reopenedOn?: LocalDate[];
}

interface PlanSubmission {
  round: number;
  taskId: string;
  submittedOn: LocalDate;
  dueDate: LocalDate;
  /** Against the ORIGINAL due date, also for a resubmission after a return. */
  late: boolean;
  decision?: 'accept' | 'return';
  reasons?: string;
}

interface ProgressReport {
  number: number;
  /** The schedule index: due k × interval months after the plan's submission. */
  k: number;
  taskId: string;
  dueDate: LocalDate;
  submittedOn: LocalDate;
  late: boolean;
  rectified: string[];
}

export interface RectificationResult {
  closedOn: LocalDate;
  annualReportYear: number;
  reports: number;
}

const dueAtOf = (date: LocalDate) => new Date(endOfDayMs(date)).toISOString();
const dayOf = (instant: string) => localDateOf(Date.parse(instant));

export async function rectificationProcess(input: RectificationInput): Promise<RectificationResult | { cancelled: string }> {
  const runtime = new ProcessRuntime(input.identity, rectificationModel);
  const policy = input.policy.entry;
  const findingIds = input.findings.map((f) => f.findingId);
  const originalPlanDue = planDueDate(input.feedbackDate, policy);

  let stage: 'plan' | 'review' | 'progress' | 'closure' | 'closed' = 'plan';
  let planDue = originalPlanDue;
  const submissions: PlanSubmission[] = [];
  const items: RectificationItem[] = [];
  const reports: ProgressReport[] = [];
  const reopenings: Array<{ on: LocalDate; itemIds: string[]; opinion: string }> = [];
  let progressFrom: LocalDate | undefined;
  let nextK = 1;
  let closure: { closedOn: LocalDate; opinion: string } | undefined;

  const openItemIds = () => items.filter((i) => i.state === 'open').map((i) => i.itemId);
  const nextReport = () =>
    stage === 'progress' && progressFrom
      ? { number: reports.length + 1, k: nextK, dueDate: progressDueDate(progressFrom, nextK, policy), dueAt: dueAtOf(progressDueDate(progressFrom, nextK, policy)) }
      : undefined;

  runtime.details = () => ({
    feedbackId: input.feedbackId,
    feedbackDate: input.feedbackDate,
    channel: input.channel,
    issuingOrgId: input.issuingOrgId,
    targetOrgId: input.target.orgId,
    reviewerOrgId: input.reviewer.orgId,
    ...(input.responsiblePerson ? { responsiblePerson: input.responsiblePerson } : {}),
    policy: { code: policy.code, version: input.policy.version },
    stage,
    findings: input.findings,
    items,
    plan: { dueDate: originalPlanDue, dueAt: dueAtOf(originalPlanDue), currentDueDate: planDue, submissions },
    ...(progressFrom ? { progressCountedFrom: progressFrom } : {}),
    progressReportNumber: stage === 'progress' ? reports.length + 1 : reports.length,
    ...(nextReport() ? { nextProgressReport: nextReport() } : {}),
    reports,
    reopenings,
    ...(closure ? { closure } : {}),
  });

  const taskFor = (party: RectificationParty, spec: Pick<TaskSpec, 'elementId' | 'form' | 'title' | 'titleZh' | 'dueDate' | 'context'>): TaskSpec => ({
    ...spec,
    assignee: { orgId: party.orgId, roles: party.roles },
    orgPath: party.orgPath,
    escalation: policy.escalation,
    escalateTo: party.escalateTo,
    deciderOrgId: party.deciderOrgId,
  });

  await runtime.start({ feedbackId: input.feedbackId, feedbackDate: input.feedbackDate, policyVersion: input.policy.version, planDueDate: originalPlanDue });

  return runProcess(runtime, async () => {
    // The plan, as often as it is returned.
    let firstSubmitted: LocalDate | undefined;
    for (let round = 1; ; round++) {
      stage = 'plan';
      const lastReturn = submissions.at(-1);
      const plan = await runtime.userTask<RectificationPlanForm>(
        taskFor(input.target, {
          elementId: 'planTask',
          form: 'rectificationPlan',
          title: round === 1 ? 'Submit the rectification plan' : 'Resubmit the returned rectification plan',
          titleZh: round === 1 ? '报送整改方案' : '重新报送整改方案',
          dueDate: planDue,
          context: {
            findings: input.findings,
            feedbackDate: input.feedbackDate,
            originalDueDate: originalPlanDue,
            ...(lastReturn?.reasons ? { returnedWith: lastReturn.reasons } : {}),
          },
        }),
        (payload) => planProblems(payload, findingIds),
      );
      const submittedOn = dayOf(plan.completedAt);
      firstSubmitted ??= submittedOn;
      const submission: PlanSubmission = {
        round,
        taskId: plan.taskId,
        submittedOn,
        dueDate: planDue,
        late: Date.parse(plan.completedAt) > endOfDayMs(originalPlanDue),
      };
      submissions.push(submission);
      await runtime.record('rectification.planSubmitted', 'planTask', { round, submittedOn, originalDueDate: originalPlanDue, late: submission.late });

      stage = 'review';
      const review = await runtime.userTask<RectificationReviewForm>(
        taskFor(input.reviewer, {
          elementId: 'reviewTask',
          form: 'rectificationReview',
          title: 'Review the rectification plan',
          titleZh: '审核整改方案',
          dueDate: addDays(submittedOn, policy.reviewDueDays),
          context: { findings: input.findings, plan: plan.result, round },
        }),
      );
      runtime.pass('reviewGateway');
      submission.decision = review.result.decision;
      if (review.result.decision === 'accept') {
        for (const row of plan.result.items) {
          items.push({
            itemId: row.findingId,
            findingId: row.findingId,
            title: input.findings.find((f) => f.findingId === row.findingId)?.title ?? row.findingId,
            measures: row.measures,
            ...(row.responsiblePersonId ? { responsiblePersonId: row.responsiblePersonId } : {}),
            ...(row.responsibleName ? { responsibleName: row.responsibleName } : {}),
            targetDate: row.targetDate,
            state: 'open',
          });
        }
        progressFrom = policy.progressCountedFrom === 'firstPlanSubmitted' ? firstSubmitted : submittedOn;
        await runtime.record('rectification.planAccepted', 'reviewGateway', { round, progressCountedFrom: progressFrom }, review.completedBy);
        break;
      }
      submission.reasons = review.result.reasons ?? '';
      planDue = resubmissionDueDate(originalPlanDue, dayOf(review.completedAt), policy);
      await runtime.record('rectification.planReturned', 'reviewGateway', { round, reasons: submission.reasons, resubmitBy: planDue }, review.completedBy);
    }

    const from = progressFrom;
    for (;;) {
      // Progress reports until every item is reported rectified.
      while (openItemIds().length > 0) {
        stage = 'progress';
        const number = reports.length + 1;
        const dueDate = progressDueDate(from, nextK, policy);
        const report = await runtime.userTask<RectificationProgressForm>(
          taskFor(input.target, {
            elementId: 'progressTask',
            form: 'rectificationProgress',
            title: `Progress report no. ${number} on the rectification`,
            titleZh: `第${number}次整改进展报告`,
            dueDate,
            context: { reportNumber: number, openItems: items.filter((i) => i.state === 'open') },
          }),
          (payload) =>
            progressProblems(
              payload,
              openItemIds(),
              items.map((i) => i.itemId),
            ),
        );
        const rectified = report.result.items.filter((row) => row.rectified).map((row) => row.itemId);
        for (const item of items) {
          if (rectified.includes(item.itemId)) {
            item.state = 'rectified';
            item.rectifiedInReport = number;
          }
        }
        reports.push({ number, k: nextK, taskId: report.taskId, dueDate, submittedOn: dayOf(report.completedAt), late: report.late, rectified });
        runtime.pass('rectifiedGateway');
        nextK += 1;
      }

      stage = 'closure';
      const lastReport = reports.at(-1) as ProgressReport;
      const decision = await runtime.userTask<RectificationClosureForm>(
        taskFor(input.reviewer, {
          elementId: 'closureTask',
          form: 'rectificationClosure',
          title: 'Confirm closure of the rectification, or reopen items',
          titleZh: '整改销号审核',
          dueDate: addDays(lastReport.submittedOn, policy.closureReviewDueDays),
          context: { items, reports },
        }),
        (payload) =>
          closureProblems(
            payload,
            items.map((i) => i.itemId),
          ),
      );
      runtime.pass('closureGateway');
      const decidedOn = dayOf(decision.completedAt);
      if (decision.result.decision === 'close') {
        closure = { closedOn: decidedOn, opinion: decision.result.opinion };
        stage = 'closed';
        break;
      }
      const reopen = decision.result.reopenItemIds ?? [];
      for (const item of items) {
        if (!reopen.includes(item.itemId)) continue;
        item.state = 'open';
        delete item.rectifiedInReport;
        item.reopenedOn = [...(item.reopenedOn ?? []), decidedOn];
      }
      reopenings.push({ on: decidedOn, itemIds: reopen, opinion: decision.result.opinion });
      nextK = nextProgressNumberAfter(from, decidedOn, nextK - 1, policy);
      await runtime.record('rectification.reopened', 'closureGateway', { itemIds: reopen, nextReportDue: progressDueDate(from, nextK, policy) }, decision.completedBy);
    }

    // The account owed in the annual report of the year of closure (due 15 Jan after it).
    const closedOn = (closure as { closedOn: LocalDate }).closedOn;
    const year = Number(closedOn.slice(0, 4));
    runtime.enter('recordAnnualAccount');
    await db.recordAnnualReportRequirement({
      orgId: input.target.orgId,
      year,
      rectificationId: runtime.processId,
      feedbackId: input.feedbackId,
      closedOn,
      summary: accountSummary(input, items, reports, closedOn),
      items: items.map(({ itemId, title, measures, targetDate, rectifiedInReport }) => ({ itemId, title, measures, targetDate, rectifiedInReport })),
      at: new Date(Date.now()).toISOString(),
    });
    runtime.leave('recordAnnualAccount');
    return { closedOn, annualReportYear: year, reports: reports.length };
  });
}

function accountSummary(input: RectificationInput, items: RectificationItem[], reports: ProgressReport[], closedOn: LocalDate): string {
  const lines = [
    `Rectification ${input.feedbackId} (feedback of ${input.feedbackDate}, ${input.channel}): ${items.length} item(s), ${reports.length} progress report(s), closed on ${closedOn}.`,
    ...items.map((i) => `- ${i.itemId} ${i.title}: ${i.measures} (target ${i.targetDate})`),
  ];
  return lines.join('\n');
}
