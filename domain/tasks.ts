/** The shapes a user task has in a workflow, in an activity and in the API. Pure. */
import type { EscalationPolicy, EscalationStep } from './escalation.js';
import type { LocalDate } from './calendar.js';

export type Role = 'admin' | 'caseOfficer' | 'supervisor' | 'unit' | 'leader';

/** Who acted: the claims of the caller's token. */
export interface Actor {
  sub: string;
  role: Role;
  orgId: string;
  personId?: string;
}

export interface Assignee {
  orgId: string;
  /** Account roles of that org that may complete the task. */
  roles: Role[];
  /** When set, only this person may complete it. */
  personId?: string;
}

/** What a process asks for when it opens a user task. */
export interface TaskSpec {
  elementId: string;
  /**
   * Makes the task ID unique where the element alone does not: a cycle that continues
   * as new each period passes the period key, so 2027-Q1's task is not 2027-Q2's.
   */
  key?: string;
  form: string;
  title: string;
  titleZh: string;
  assignee: Assignee;
  /** Assignee org and its ancestors (for scoped reading). */
  orgPath: string[];
  dueDate: LocalDate;
  escalation: EscalationPolicy;
  /** Organisations told when the task is overdue or escalated (the supervising DIC). */
  escalateTo: string[];
  /** The DIC whose case officers decide on proposed interviews and cases. */
  deciderOrgId: string;
  /** Information the form shows (findings, items, the document to sign). */
  context?: Record<string, unknown>;
}

export type TaskStatus = 'open' | 'completed' | 'cancelled';

export interface TaskState extends TaskSpec {
  taskId: string;
  status: TaskStatus;
  dueAt: string;
  createdAt: string;
  overdue: boolean;
  escalationLevel: number;
  completedAt?: string;
  completedBy?: Actor;
  late?: boolean;
  result?: unknown;
}

/** Whether the actor may complete a task of this assignee: its organisation, one of its roles, and the person if one is named. */
export function mayComplete(assignee: { orgId: string; roles: readonly string[]; personId?: string | null }, actor: Actor): boolean {
  return actor.orgId === assignee.orgId && assignee.roles.includes(actor.role) && (!assignee.personId || assignee.personId === actor.personId);
}

export interface TaskCompletion {
  taskId: string;
  actor: Actor;
  payload: unknown;
}

export interface TaskOutcome<P = unknown> {
  taskId: string;
  status: 'completed';
  completedAt: string;
  completedBy: Actor;
  late: boolean;
  result: P;
}

/** Update-validator failure types, mapped by the API to HTTP statuses. */
export const TaskRejection = {
  notFound: 'TaskNotFound',
  notOpen: 'TaskNotOpen',
  wrongActor: 'WrongActor',
  invalidPayload: 'InvalidPayload',
  ruleViolation: 'RuleViolation',
} as const;

export type { EscalationPolicy, EscalationStep };
