/**
 * What every process workflow shares: its element states for the diagram, its user
 * tasks (the building block of product.md: deadline, reminders, overdue marking and
 * the escalation ladder, all from the policy passed in), the completeTask update with
 * its validator, the processState query, cancellation by the issuer, and the summary
 * kept current for search. Deterministic: workflow time only, every effect an activity.
 */
import { allHandlersFinished, ApplicationFailure, CancellationScope, condition, isCancellation, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { addDays, endOfDayMs, localTimeMs } from '../../domain/calendar.js';
import { isFormName } from '../../domain/form-names.js';
import type { ProcessModel } from '../../domain/process-model.js';
import { mayComplete, TaskRejection, type Actor, type TaskOutcome, type TaskSpec, type TaskState } from '../../domain/tasks.js';
import type { EscalationStep } from '../../domain/escalation.js';
import type { NotifyInput } from '../../activities/index.js';
import { cancelProcessUpdate, completeTaskUpdate, processStateQuery, type CancelProcessInput, type CompleteTaskInput, type ProcessState } from '../messages.js';
import { db, webhooks } from './activity-options.js';
import { EscalationLevelKey, NextDueAtKey, OverdueKey } from '../search-attributes.js';

export interface ProcessIdentity {
  processType: string;
  title: string;
  /** The organisation the process is about. */
  orgId: string;
  orgPath: string[];
  startedBy: Actor;
  /** Organisation whose case officers may cancel the process (the issuer). */
  issuerOrgId: string;
  /** Whether the workflow keeps Temporal search attributes current (off on servers without them). */
  searchAttributes?: boolean;
}

/** Thrown out of a waiting step when the issuer cancels; `runProcess` turns it into a clean end. */
export class ProcessCancelled extends Error {
  constructor(readonly reason: string) {
    super(`process cancelled: ${reason}`);
    this.name = 'ProcessCancelled';
  }
}

/** A further check of a payload against the process's own state; returns problems (empty = fine). */
export type PayloadRule<P> = (payload: P, task: TaskState) => string[];

type TimelineEvent =
  | { at: number; kind: 'reminder'; daysBefore: number }
  | { at: number; kind: 'overdue' }
  | { at: number; kind: 'escalation'; level: number; step: EscalationStep };

const iso = (ms: number) => new Date(ms).toISOString();

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export class ProcessRuntime {
  readonly processId: string;
  readonly startedAt: string;
  status: ProcessState['status'] = 'running';
  endedAt?: string;
  cancelReason?: string;
  readonly tasks = new Map<string, TaskState>();
  private readonly active = new Set<string>();
  private readonly done = new Set<string>();
  private readonly rounds = new Map<string, number>();
  private readonly rules = new Map<string, PayloadRule<unknown>>();
  /** Tasks whose completion has been written (the process moves on only after that). */
  private readonly recorded = new Set<string>();
  /** Process-specific details a workflow exposes through the query. */
  details: () => Record<string, unknown> = () => ({});

  constructor(
    readonly identity: ProcessIdentity,
    readonly model: ProcessModel,
  ) {
    const info = workflowInfo();
    this.processId = info.workflowId;
    this.startedAt = iso(info.runStartTime.getTime());
    setHandler(processStateQuery, () => this.state());
    setHandler(completeTaskUpdate, (input: CompleteTaskInput) => this.complete(input.taskId, input.actor, input.payload), {
      validator: (input: CompleteTaskInput) => {
        this.validateCompletion(input.taskId, input.actor, input.payload);
      },
    });
    setHandler(cancelProcessUpdate, (input: CancelProcessInput) => this.cancel(input.actor, input.reason), {
      validator: ({ actor, reason }: CancelProcessInput) => {
        if (this.status !== 'running') throw ApplicationFailure.create({ type: TaskRejection.notOpen, message: `the process is ${this.status}` });
        if (!(actor.role === 'admin' || (actor.role === 'caseOfficer' && actor.orgId === this.identity.issuerOrgId)))
          throw ApplicationFailure.create({ type: TaskRejection.wrongActor, message: 'only the issuing organisation\'s case officers may cancel this process' });
        if (!reason.trim()) throw ApplicationFailure.create({ type: TaskRejection.invalidPayload, message: 'a reason is required' });
      },
    });
  }

  get ref() {
    return { processId: this.processId, processType: this.identity.processType };
  }

  /** Marks an element as being worked on (for the diagram). */
  enter(elementId: string): void {
    this.active.add(elementId);
  }

  /** Marks an element as passed. */
  leave(elementId: string): void {
    this.active.delete(elementId);
    this.done.add(elementId);
  }

  /** Passes through an element that takes no time (a gateway, a start or end event). */
  pass(elementId: string): void {
    this.done.add(elementId);
  }

  async start(details: Record<string, unknown> = {}): Promise<void> {
    this.pass(this.model.elements.find((e) => e.kind === 'startEvent')?.id ?? 'start');
    await db.recordAudit({
      entryId: `${this.processId}:started`,
      at: this.startedAt,
      actor: { kind: 'user', ...this.identity.startedBy },
      action: 'process.started',
      target: { kind: 'process', id: this.processId },
      orgId: this.identity.orgId,
      orgPath: this.identity.orgPath,
      processId: this.processId,
      outcome: 'ok',
      details: { processType: this.identity.processType, title: this.identity.title, ...details },
    });
    await this.publish();
  }

  /** Records a step of the process in its timeline (audit log, readable history). */
  async record(action: string, elementId: string | undefined, details: Record<string, unknown>, actor?: Actor): Promise<void> {
    const at = Date.now();
    await db.recordAudit({
      entryId: `${this.processId}:${action}:${elementId ?? '-'}:${at}`,
      at: iso(at),
      actor: actor ? { kind: 'user', ...actor } : { kind: 'system' },
      action,
      target: { kind: 'process', id: this.processId },
      orgId: this.identity.orgId,
      orgPath: this.identity.orgPath,
      processId: this.processId,
      ...(elementId ? { elementId } : {}),
      outcome: 'ok',
      details,
    });
  }

  /**
   * Opens a user task and waits for its completion, running its timeline meanwhile:
   * reminders before due, overdue at the end of the due date, then each escalation
   * step. Timers already past when the task opens (a process started with a past
   * trigger date) fire at once, in order, so the process catches up; reminders already
   * past are skipped, since an overdue notice supersedes them.
   */
  async userTask<P>(spec: TaskSpec, rule?: PayloadRule<P>): Promise<TaskOutcome<P>> {
    const base = spec.key ? `${spec.elementId}:${spec.key}` : spec.elementId;
    const round = (this.rounds.get(base) ?? 0) + 1;
    this.rounds.set(base, round);
    const taskId = `${this.processId}:${base}:${round}`;
    const now = Date.now();
    const task: TaskState = {
      ...spec,
      taskId,
      status: 'open',
      dueAt: iso(endOfDayMs(spec.dueDate)),
      createdAt: iso(now),
      overdue: false,
      escalationLevel: 0,
    };
    this.tasks.set(taskId, task);
    if (rule) this.rules.set(taskId, rule as PayloadRule<unknown>);
    this.enter(spec.elementId);
    await db.openTask(this.ref, task);
    await this.notify({
      notificationId: `${taskId}:opened`,
      orgIds: [spec.assignee.orgId],
      kind: 'task.opened',
      title: `新任务 New task: ${spec.titleZh} / ${spec.title}`,
      body: `due ${spec.dueDate}`,
      taskId,
      at: iso(now),
    });
    await this.publish();

    for (const event of timeline(task, now)) {
      const finished = event.at <= Date.now() ? task.status !== 'open' : await condition(() => task.status !== 'open', event.at - Date.now());
      if (finished) break;
      await this.fire(task, event);
    }
    await condition(() => task.status === 'cancelled' || this.recorded.has(taskId));
    if (task.status === 'cancelled') throw new ProcessCancelled(this.cancelReason ?? 'cancelled');
    this.rules.delete(taskId);
    return {
      taskId,
      status: 'completed',
      completedAt: task.completedAt as string,
      completedBy: task.completedBy as Actor,
      late: task.late ?? false,
      result: task.result as P,
    };
  }

  private async fire(task: TaskState, event: TimelineEvent): Promise<void> {
    const at = iso(Date.now());
    switch (event.kind) {
      case 'reminder':
        await db.remindTask(this.ref, task, event.daysBefore, at);
        await this.notify({
          notificationId: `${task.taskId}:reminder:${event.daysBefore}`,
          orgIds: [task.assignee.orgId],
          kind: 'task.reminder',
          title: `提醒 Reminder: ${task.titleZh} / ${task.title}`,
          body: `due ${task.dueDate} (in ${event.daysBefore} days)`,
          taskId: task.taskId,
          at,
        });
        return;
      case 'overdue':
        task.overdue = true;
        await db.markTaskOverdue(this.ref, task, at);
        await this.notify({
          notificationId: `${task.taskId}:overdue`,
          orgIds: [task.assignee.orgId, ...task.escalateTo],
          kind: 'task.overdue',
          title: `逾期 Overdue: ${task.titleZh} / ${task.title}`,
          body: `was due ${task.dueDate}`,
          taskId: task.taskId,
          at,
        });
        await this.publish();
        return;
      case 'escalation': {
        task.escalationLevel = event.level;
        const { proposalId } = await db.escalateTask(this.ref, task, event.level, event.step, at);
        const what =
          event.step.action === 'proposeInterview'
            ? '约谈建议 Interview proposed'
            : event.step.action === 'proposeCase'
              ? '责任追究建议 Accountability case proposed'
              : '督办 Escalated';
        await this.notify({
          notificationId: `${task.taskId}:escalation:${event.level}`,
          orgIds: [...task.escalateTo, ...(proposalId ? [task.deciderOrgId] : [])],
          kind: `task.escalation.${event.step.action}`,
          title: `${what}: ${task.titleZh} / ${task.title}`,
          body: `${event.step.afterDaysOverdue} days overdue (Art. ${event.step.articles.join(', ')})`,
          taskId: task.taskId,
          at,
        });
        await this.publish();
        return;
      }
    }
  }

  /**
   * What only the process knows: the task exists and is open, the actor may complete it,
   * and the process's own rule for the payload. The payload's fit to its form is checked
   * by the API with the form's zod schema before it sends the update (domain/forms.ts
   * `parseFormPayload`), which keeps zod out of the workflow bundle; here only a light
   * structural check remains (an object, for a known form).
   */
  private validateCompletion(taskId: string, actor: Actor, payload: unknown): void {
    const task = this.tasks.get(taskId);
    if (!task) throw ApplicationFailure.create({ type: TaskRejection.notFound, message: `no task ${taskId} in this process` });
    if (task.status !== 'open') throw ApplicationFailure.create({ type: TaskRejection.notOpen, message: `the task is ${task.status}` });
    if (!mayComplete(task.assignee, actor)) throw ApplicationFailure.create({ type: TaskRejection.wrongActor, message: 'this task is assigned to somebody else' });
    if (!isFormName(task.form)) throw ApplicationFailure.create({ type: TaskRejection.invalidPayload, message: `unknown form ${task.form}` });
    if (!isPlainObject(payload)) throw ApplicationFailure.create({ type: TaskRejection.invalidPayload, message: `the payload does not fit the form ${task.form}: it must be an object of the form's fields` });
    const rule = this.rules.get(taskId);
    let problems: string[];
    try {
      problems = rule ? rule(payload, task) : [];
    } catch {
      // A rule reads the fields its form guarantees; a payload that breaks it did not fit the form.
      throw ApplicationFailure.create({ type: TaskRejection.invalidPayload, message: `the payload does not fit the form ${task.form}` });
    }
    if (problems.length > 0) throw ApplicationFailure.create({ type: TaskRejection.ruleViolation, message: problems.join('; '), details: [problems] });
  }

  private async complete(taskId: string, actor: Actor, payload: unknown): Promise<TaskOutcome> {
    const task = this.tasks.get(taskId) as TaskState;
    const now = Date.now();
    task.status = 'completed';
    task.completedAt = iso(now);
    task.completedBy = actor;
    task.late = now > Date.parse(task.dueAt);
    // As the API parsed it (validateCompletion ran first, on the same payload).
    task.result = payload;
    this.leave(task.elementId);
    await db.completeTask(this.ref, task);
    this.recorded.add(taskId);
    await this.publish();
    return { taskId, status: 'completed', completedAt: task.completedAt, completedBy: actor, late: task.late, result: task.result };
  }

  /**
   * Ends the process as cancelled: open tasks are withdrawn with the reason, the
   * cancellation is recorded, the summary updated. The issuer's update, a Temporal
   * cancellation and a process's own decision (a duty withdrawn) all end this way.
   */
  async cancel(actor: Actor | undefined, reason: string): Promise<ProcessState> {
    this.cancelReason = reason;
    const at = iso(Date.now());
    for (const task of this.tasks.values()) {
      if (task.status !== 'open') continue;
      task.status = 'cancelled';
      this.active.delete(task.elementId);
      await db.cancelTask(this.ref, task, reason, at);
    }
    await this.record('process.cancelled', undefined, { reason }, actor);
    await this.end('cancelled');
    return this.state();
  }

  /**
   * A Temporal cancellation (a parent process cancelled, or an operator's cancel): close
   * the open tasks in the inbox and end as cancelled, as an issuer's cancellation does.
   */
  async cancelledFromOutside(): Promise<void> {
    if (this.status === 'running') await this.cancel(undefined, 'cancelled by the process that opened it');
  }

  /** Ends the process (completed or cancelled) and records it. */
  async end(status: 'completed' | 'cancelled'): Promise<void> {
    if (this.status !== 'running') return;
    this.status = status;
    this.endedAt = iso(Date.now());
    if (status === 'completed') {
      this.pass(this.model.elements.find((e) => e.kind === 'endEvent')?.id ?? 'end');
      await this.record('process.completed', undefined, {});
    }
    await this.publish();
  }

  private async notify(input: NotifyInput): Promise<void> {
    const deliveries = await db.notify({ ...input, processId: this.processId });
    // Webhooks are delivered apart and not awaited: a remote system that is down
    // must not hold up the process. A delivery that fails for good is in the history.
    for (const delivery of deliveries) void webhooks.deliverWebhook(delivery).catch(() => undefined);
  }

  private openTasks(): TaskState[] {
    return [...this.tasks.values()].filter((t) => t.status === 'open');
  }

  /** Keeps the process summary (MongoDB) and the search attributes (Temporal) current. */
  async publish(): Promise<void> {
    const open = this.openTasks();
    const overdue = open.some((t) => t.overdue);
    const nextDue = open.map((t) => t.dueAt).sort()[0];
    const escalationLevel = Math.max(0, ...open.map((t) => t.escalationLevel));
    if (this.identity.searchAttributes !== false) {
      upsertSearchAttributes([
        { key: OverdueKey, value: overdue },
        { key: EscalationLevelKey, value: escalationLevel },
        { key: NextDueAtKey, value: nextDue ? new Date(nextDue) : null },
      ] as never);
    }
    await db.updateProcessSummary({
      processId: this.processId,
      processType: this.identity.processType,
      title: this.identity.title,
      orgId: this.identity.orgId,
      orgPath: this.identity.orgPath,
      status: this.status,
      startedAt: this.startedAt,
      ...(this.endedAt ? { endedAt: this.endedAt } : {}),
      activeElements: [...this.active],
      openTasks: open.length,
      overdue,
      ...(nextDue ? { nextDueAt: nextDue } : {}),
      escalationLevel,
      at: iso(Date.now()),
    });
  }

  state(): ProcessState {
    const overdueElements = new Set(this.openTasks().filter((t) => t.overdue).map((t) => t.elementId));
    return {
      processId: this.processId,
      processType: this.identity.processType,
      title: this.identity.title,
      orgId: this.identity.orgId,
      status: this.status,
      startedAt: this.startedAt,
      ...(this.endedAt ? { endedAt: this.endedAt } : {}),
      elements: { active: [...this.active], done: [...this.done], overdue: [...overdueElements] },
      tasks: [...this.tasks.values()],
      details: this.details(),
      ...(this.cancelReason ? { cancelReason: this.cancelReason } : {}),
    };
  }
}

/** The task's timers in time order: reminders (future only), overdue, escalation steps. */
export function timeline(task: TaskState, openedAt: number): TimelineEvent[] {
  const { escalation, dueDate } = task;
  const reminders: TimelineEvent[] = escalation.reminderDaysBefore
    .map((days) => ({ at: localTimeMs(addDays(dueDate, -days), escalation.reminderTime), kind: 'reminder' as const, daysBefore: days }))
    .filter((r) => r.at > openedAt);
  const overdueAt = endOfDayMs(dueDate) + 1;
  const steps: TimelineEvent[] = escalation.steps.map((step, i) => ({
    at: endOfDayMs(addDays(dueDate, step.afterDaysOverdue)) + 1,
    kind: 'escalation' as const,
    level: i + 1,
    step,
  }));
  return [...reminders, { at: overdueAt, kind: 'overdue' as const }, ...steps].sort((a, b) => a.at - b.at);
}

/**
 * Runs a process body and ends it cleanly: a cancellation by the issuer ends it as
 * cancelled; a normal return ends it as completed.
 */
export async function runProcess<R>(runtime: ProcessRuntime, body: () => Promise<R>): Promise<R | { cancelled: string }> {
  try {
    const result = await body();
    // An update handler may still be writing (e.g. the last completion): let it finish,
    // or its caller would be told the workflow ended first.
    await condition(allHandlersFinished);
    await runtime.end('completed');
    return result;
  } catch (err) {
    if (err instanceof ProcessCancelled) {
      // cancel() already ended the process; wait for its update handler to finish.
      await condition(() => runtime.status === 'cancelled' && allHandlersFinished());
      return { cancelled: err.reason };
    }
    if (isCancellation(err)) {
      // The workflow itself was cancelled: the clean-up must run even so.
      await CancellationScope.nonCancellable(() => runtime.cancelledFromOutside());
    }
    throw err;
  }
}
