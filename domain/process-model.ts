/**
 * The BPMN-style element model of a process type: the elements a diagram draws and the
 * stable IDs a running workflow reports as active, done or overdue. One model per
 * process type lives beside its workflow (workflows/<name>.model.ts) so that the
 * workflow, the API and the diagram all name elements the same way.
 */

export type ElementKind =
  | 'startEvent'
  | 'endEvent'
  | 'userTask'
  | 'serviceTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  /** A timer attached to a task's boundary: interrupting (the deadline) or not (reminders, escalations). */
  | 'boundaryTimerEvent'
  /** A message that arrives from outside (a unit's submission through the API). */
  | 'intermediateMessageEvent'
  /** An escalation thrown to a supervisor (overdue notice, interview or case proposed). */
  | 'intermediateEscalationEvent'
  /** A process that opens another (a child workflow or a new process). */
  | 'callActivity';

export interface ProcessElement {
  id: string;
  kind: ElementKind;
  name: string;
  nameZh: string;
  /** For boundary events: the element whose boundary it sits on. */
  attachedTo?: string;
  /** For boundary events: whether it ends the element it is attached to. */
  interrupting?: boolean;
  /** The article(s) of the Rules this element carries out, e.g. "6(12)". */
  articles?: string[];
}

export interface SequenceFlow {
  id: string;
  from: string;
  to: string;
  /** Condition label on a gateway's outgoing flow, e.g. "accepted". */
  name?: string;
}

export interface ProcessModel {
  processType: string;
  name: string;
  nameZh: string;
  elements: ProcessElement[];
  flows: SequenceFlow[];
}

export type ElementState = 'active' | 'done' | 'overdue';

/** What a running workflow reports about its elements (for the API and the diagram). */
export interface ElementStates {
  active: string[];
  done: string[];
  overdue: string[];
}

/**
 * A user task and its deadline timer. The timer is non-interrupting: a task past its due
 * date stays open (a late submission is still taken) while the escalation ladder runs.
 */
export function userTaskWithDeadline(id: string, name: string, nameZh: string, articles?: string[]): ProcessElement[] {
  return [
    { id, kind: 'userTask', name, nameZh, ...(articles ? { articles } : {}) },
    { id: `${id}Deadline`, kind: 'boundaryTimerEvent', name: `${name}: deadline`, nameZh: `${nameZh}期限`, attachedTo: id, interrupting: false },
  ];
}

/** Every element ID of a model, for checking what a workflow reports. */
export function elementIds(model: ProcessModel): Set<string> {
  return new Set(model.elements.map((e) => e.id));
}
