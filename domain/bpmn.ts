/**
 * BPMN 2.0 XML, with diagram interchange (DI) layout, from a process type's element model,
 * so the model opens in bpmn.io / Camunda Modeler and the console can colour its elements
 * by the IDs a running workflow reports. Model element and flow IDs are used unchanged as
 * BPMN IDs; the generated extras (process, event definitions, messages, escalations, DI)
 * get derived IDs, and any clash is refused rather than emitted.
 *
 * Labels: `name` carries one language (Chinese by default) and a `documentation` element
 * the other, plus the articles the element carries out. The XML is built as a string: no
 * runtime dependency on bpmn-moddle, which the tests use to check the result.
 */
import type { ElementKind, ProcessElement, ProcessModel, SequenceFlow } from './process-model.js';

export interface Point {
  x: number;
  y: number;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ProcessLayout {
  /** Bounds of every element, boundary events included, by element ID. */
  shapes: Map<string, Bounds>;
  /** Waypoints of every sequence flow, by flow ID. */
  edges: Map<string, Point[]>;
}

export const SHAPE_SIZE = {
  task: { width: 100, height: 80 },
  event: { width: 36, height: 36 },
  gateway: { width: 50, height: 50 },
} as const;

const COLUMN_GAP = 70;
const ROW_PITCH = 140;
const LEFT = 150;
const LANE_GAP = 14;
/** Room on a host's bottom edge for each boundary event sitting there. */
const BOUNDARY_SLOT = 46;

const BPMN_TAG: Record<ElementKind, string> = {
  startEvent: 'startEvent',
  endEvent: 'endEvent',
  userTask: 'userTask',
  serviceTask: 'serviceTask',
  exclusiveGateway: 'exclusiveGateway',
  parallelGateway: 'parallelGateway',
  boundaryTimerEvent: 'boundaryEvent',
  intermediateMessageEvent: 'intermediateCatchEvent',
  intermediateEscalationEvent: 'intermediateThrowEvent',
  callActivity: 'callActivity',
};

/** The BPMN element type (`bpmn:…`) each model kind becomes. */
export function bpmnTypeOf(kind: ElementKind): string {
  return `bpmn:${BPMN_TAG[kind].charAt(0).toUpperCase()}${BPMN_TAG[kind].slice(1)}`;
}

const ACTIVITY_KINDS: ReadonlySet<ElementKind> = new Set(['userTask', 'serviceTask', 'callActivity']);

/**
 * XML NCName restricted to ASCII: what BPMN IDs must be, and what tools and CSS selectors
 * (the console's bpmn-js markers) handle without surprises.
 */
export const BPMN_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The process ID for a process type, e.g. `rectification` → `Process_rectification`. */
export function bpmnProcessId(processType: string): string {
  return `Process_${processType.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** What is wrong with a model for BPMN purposes; empty when it can be drawn. */
export function processModelProblems(model: ProcessModel): string[] {
  const problems: string[] = [];
  const byId = new Map<string, ProcessElement>();
  const seen = new Set<string>();
  for (const { id } of [...model.elements, ...model.flows]) {
    if (!BPMN_ID.test(id)) problems.push(`id "${id}" is not an XML NCName (ASCII letters, digits, _ . -)`);
    if (seen.has(id)) problems.push(`id "${id}" is used twice`);
    seen.add(id);
  }
  for (const element of model.elements) byId.set(element.id, element);

  if (!model.elements.some((e) => e.kind === 'startEvent')) problems.push('the model has no start event');
  for (const element of model.elements) {
    if (element.kind === 'boundaryTimerEvent') {
      const host = element.attachedTo === undefined ? undefined : byId.get(element.attachedTo);
      if (!host) problems.push(`boundary event "${element.id}" is not attached to an element of the model`);
      else if (!ACTIVITY_KINDS.has(host.kind)) problems.push(`boundary event "${element.id}" is attached to "${host.id}", which is not a task`);
    } else if (element.attachedTo !== undefined) {
      problems.push(`"${element.id}" is not a boundary event but has attachedTo`);
    }
  }
  for (const flow of model.flows) {
    const from = byId.get(flow.from);
    const to = byId.get(flow.to);
    if (!from) problems.push(`flow "${flow.id}" starts at unknown element "${flow.from}"`);
    if (!to) problems.push(`flow "${flow.id}" ends at unknown element "${flow.to}"`);
    if (from?.kind === 'endEvent') problems.push(`flow "${flow.id}" leaves end event "${from.id}"`);
    if (to?.kind === 'startEvent') problems.push(`flow "${flow.id}" enters start event "${to.id}"`);
    if (to?.kind === 'boundaryTimerEvent') problems.push(`flow "${flow.id}" enters boundary event "${to.id}"`);
  }
  return problems;
}

function assertDrawable(model: ProcessModel): void {
  const problems = processModelProblems(model);
  if (problems.length > 0) throw new Error(`process model "${model.processType}" cannot be drawn: ${problems.join('; ')}`);
}

function sizeOf(element: ProcessElement, boundaryCount: number): { width: number; height: number } {
  switch (element.kind) {
    case 'userTask':
    case 'serviceTask':
    case 'callActivity':
      // A host widens only when its boundary events would otherwise overlap.
      return { width: Math.max(SHAPE_SIZE.task.width, boundaryCount * BOUNDARY_SLOT + 8), height: SHAPE_SIZE.task.height };
    case 'exclusiveGateway':
    case 'parallelGateway':
      return { ...SHAPE_SIZE.gateway };
    default:
      return { ...SHAPE_SIZE.event };
  }
}

/**
 * A deterministic left-to-right layout: each node's column is its longest path from a
 * start (back edges, found by a depth-first walk from the starts, are left out so loops
 * do not stretch the diagram), rows within a column follow their predecessors' rows, and
 * boundary events sit on the bottom edge of their host. Flows from a boundary event count
 * as flows from its host for placement.
 */
export function layoutProcessModel(model: ProcessModel): ProcessLayout {
  assertDrawable(model);
  const elementById = new Map(model.elements.map((e) => [e.id, e]));
  const nodes = model.elements.filter((e) => e.kind !== 'boundaryTimerEvent');
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const boundariesOf = new Map<string, ProcessElement[]>();
  for (const e of model.elements) {
    if (e.kind === 'boundaryTimerEvent' && e.attachedTo) boundariesOf.set(e.attachedTo, [...(boundariesOf.get(e.attachedTo) ?? []), e]);
  }
  const placedFrom = (flow: SequenceFlow) => elementById.get(flow.from)?.attachedTo ?? flow.from;
  const fromBoundary = (flow: SequenceFlow) => elementById.get(flow.from)?.kind === 'boundaryTimerEvent';
  // Below the host; the rightmost boundary event's successor nearest, so the drops do not cross.
  const boundaryPull = (flow: SequenceFlow): number => {
    const source = elementById.get(flow.from);
    if (source?.kind !== 'boundaryTimerEvent' || !source.attachedTo) return 0;
    const siblings = boundariesOf.get(source.attachedTo) ?? [];
    return 0.5 + (siblings.length - siblings.indexOf(source)) * 0.001;
  };

  const outgoing = new Map<string, SequenceFlow[]>(nodes.map((n) => [n.id, []]));
  for (const flow of model.flows) outgoing.get(placedFrom(flow))?.push(flow);

  // Back edges: flows into a node still on the depth-first stack.
  const backEdges = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    for (const flow of outgoing.get(id) ?? []) {
      const s = state.get(flow.to);
      if (s === 'open') backEdges.add(flow.id);
      else if (s === undefined) visit(flow.to);
    }
    state.set(id, 'done');
  };
  for (const n of nodes) if (n.kind === 'startEvent' && !state.has(n.id)) visit(n.id);
  for (const n of nodes) if (!state.has(n.id)) visit(n.id);

  const forward = model.flows.filter((f) => !backEdges.has(f.id));
  const incoming = new Map<string, SequenceFlow[]>(nodes.map((n) => [n.id, []]));
  for (const flow of forward) incoming.get(flow.to)?.push(flow);

  const layer = new Map<string, number>();
  const layerOf = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    const value = Math.max(0, ...(incoming.get(id) ?? []).map((f) => layerOf(placedFrom(f)) + 1));
    layer.set(id, value);
    return value;
  };
  for (const n of nodes) layerOf(n.id);
  const layerCount = Math.max(0, ...layer.values()) + 1;

  const sizes = new Map(nodes.map((n) => [n.id, sizeOf(n, boundariesOf.get(n.id)?.length ?? 0)]));
  const row = new Map<string, number>();
  const columnWidth: number[] = [];
  for (let l = 0; l < layerCount; l++) {
    const inLayer = nodes.filter((n) => layer.get(n.id) === l);
    // A node wants its predecessors' mean row; a flow from a boundary event pulls it below the host.
    const wanted = (id: string): number => {
      const preds = (incoming.get(id) ?? []).map((f) => (row.get(placedFrom(f)) ?? 0) + boundaryPull(f));
      return preds.length === 0 ? 0 : preds.reduce((a, b) => a + b, 0) / preds.length;
    };
    const keyed = inLayer.map((n) => ({ id: n.id, want: wanted(n.id) }));
    keyed.sort((a, b) => a.want - b.want || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    let last = -1;
    for (const { id, want } of keyed) {
      last = Math.max(Math.round(want), last + 1);
      row.set(id, last);
    }
    columnWidth.push(Math.max(0, ...inLayer.map((n) => sizes.get(n.id)?.width ?? 0)));
  }
  const columnX: number[] = [];
  for (let l = 0, x = LEFT; l < layerCount; l++) {
    columnX.push(x);
    x += (columnWidth[l] ?? 0) + COLUMN_GAP;
  }

  const regularBackEdges = model.flows.filter((f) => backEdges.has(f.id) && !fromBoundary(f));
  const top = 80 + regularBackEdges.length * LANE_GAP;
  const shapes = new Map<string, Bounds>();
  for (const n of nodes) {
    const l = layer.get(n.id) ?? 0;
    const size = sizes.get(n.id) ?? SHAPE_SIZE.event;
    const cx = (columnX[l] ?? 0) + (columnWidth[l] ?? 0) / 2;
    const cy = top + (row.get(n.id) ?? 0) * ROW_PITCH + SHAPE_SIZE.task.height / 2;
    shapes.set(n.id, { x: Math.round(cx - size.width / 2), y: Math.round(cy - size.height / 2), ...size });
  }
  for (const [hostId, boundaries] of boundariesOf) {
    const host = shapes.get(hostId);
    if (!host) continue;
    boundaries.forEach((b, i) => {
      const cx = host.x + host.width / 2 + (i - (boundaries.length - 1) / 2) * BOUNDARY_SLOT;
      const cy = host.y + host.height;
      shapes.set(b.id, {
        x: Math.round(cx - SHAPE_SIZE.event.width / 2),
        y: Math.round(cy - SHAPE_SIZE.event.height / 2),
        ...SHAPE_SIZE.event,
      });
    });
  }

  /** The middle of the gap right of a column (left of the first column for -1). */
  const gapAfter = (l: number): number =>
    l < 0 ? LEFT - COLUMN_GAP / 2 : (columnX[l] ?? 0) + (columnWidth[l] ?? 0) + COLUMN_GAP / 2;
  const bottom = Math.max(...[...shapes.values()].map((s) => s.y + s.height));
  const edges = new Map<string, Point[]>();
  let topLane = 0;
  let bottomLane = 0;
  for (const flow of model.flows) {
    const s = shapes.get(flow.from);
    const t = shapes.get(flow.to);
    if (!s || !t) continue;
    const sourceLayer = layer.get(placedFrom(flow)) ?? 0;
    const cx = (b: Bounds) => b.x + b.width / 2;
    const cy = (b: Bounds) => b.y + b.height / 2;
    const enter: Point = { x: t.x, y: cy(t) };
    let points: Point[];
    if (backEdges.has(flow.id)) {
      // Loops run in their own lane above the diagram (below it when leaving a boundary event),
      // leaving and entering through the top of the top row or else through a column gap.
      const boundary = fromBoundary(flow);
      const y = boundary ? bottom + 30 + bottomLane++ * LANE_GAP : top - 30 - topLane++ * LANE_GAP;
      const self = flow.from === flow.to;
      const exit: Point[] = boundary
        ? [{ x: cx(s), y: s.y + s.height }]
        : row.get(flow.from) === 0
          ? [{ x: self ? s.x + s.width * 0.75 : cx(s), y: s.y }]
          : [{ x: s.x + s.width, y: cy(s) }, { x: gapAfter(sourceLayer), y: cy(s) }];
      const targetLayer = layer.get(flow.to) ?? 0;
      const entry: Point[] =
        row.get(flow.to) === 0 && !boundary
          ? [{ x: self ? t.x + t.width * 0.25 : cx(t), y: t.y }]
          : [{ x: gapAfter(targetLayer - 1), y: cy(t) }, enter];
      const last = exit[exit.length - 1] as Point;
      const first = entry[0] as Point;
      points = [...exit, { x: last.x, y }, { x: first.x, y }, ...entry];
    } else if (fromBoundary(flow)) {
      const out: Point = { x: cx(s), y: s.y + s.height };
      if (enter.y > out.y) {
        points = [out, { x: out.x, y: enter.y }, enter];
      } else {
        const x = enter.x - COLUMN_GAP / 2;
        points = [out, { x: out.x, y: out.y + 20 }, { x, y: out.y + 20 }, { x, y: enter.y }, enter];
      }
    } else {
      const out: Point = { x: s.x + s.width, y: cy(s) };
      if (out.y === enter.y) {
        points = [out, enter];
      } else {
        // Turn in the gap just after the source column, then run along the target's row.
        const x = gapAfter(sourceLayer);
        points = [out, { x, y: out.y }, { x, y: enter.y }, enter];
      }
    }
    edges.set(
      flow.id,
      points.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })),
    );
  }
  return { shapes, edges };
}

/** Escapes text for an attribute value or element content; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- exactly the control characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

type Attributes = Record<string, string | number | boolean | undefined>;

function tag(name: string, attributes: Attributes, children: string[] = []): string[] {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    // Line breaks as references: a parser would fold literal ones in an attribute into spaces.
    .map(([k, v]) => ` ${k}="${escapeXml(String(v)).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`)
    .join('');
  if (children.length === 0) return [`<${name}${attrs} />`];
  return [`<${name}${attrs}>`, ...children.map((c) => `  ${c}`), `</${name}>`];
}

function textTag(name: string, text: string): string[] {
  return [`<${name}>${escapeXml(text)}</${name}>`];
}

export interface BpmnOptions {
  /** The language of the `name` attributes; the other goes into `documentation`. */
  lang?: 'zh' | 'en';
}

/** The BPMN 2.0 document (process and diagram) of a process model. */
export function toBpmnXml(model: ProcessModel, options: BpmnOptions = {}): string {
  const layout = layoutProcessModel(model);
  const zh = (options.lang ?? 'zh') === 'zh';
  const label = (x: { name: string; nameZh: string }) => (zh ? x.nameZh : x.name);
  const otherLabel = (x: { name: string; nameZh: string }) => (zh ? x.name : x.nameZh);
  const processId = bpmnProcessId(model.processType);
  const suffix = processId.slice('Process_'.length);

  const emitted = new Set<string>();
  const id = (value: string): string => {
    if (emitted.has(value)) throw new Error(`process model "${model.processType}": BPMN id "${value}" would be used twice`);
    emitted.add(value);
    return value;
  };

  const rootElements: string[] = [];
  const flowElements: string[] = [];
  for (const element of model.elements) {
    const docs = [otherLabel(element), ...(element.articles?.length ? [`Art. ${element.articles.join(', ')}`] : [])].join('\n');
    const children = [
      ...textTag('bpmn:documentation', docs),
      ...model.flows.filter((f) => f.to === element.id).flatMap((f) => textTag('bpmn:incoming', f.id)),
      ...model.flows.filter((f) => f.from === element.id).flatMap((f) => textTag('bpmn:outgoing', f.id)),
    ];
    const attributes: Attributes = { id: id(element.id), name: label(element) };
    switch (element.kind) {
      case 'boundaryTimerEvent':
        attributes.cancelActivity = element.interrupting ?? true;
        attributes.attachedToRef = element.attachedTo;
        children.push(...tag('bpmn:timerEventDefinition', { id: id(`TimerEventDefinition_${element.id}`) }));
        break;
      case 'intermediateMessageEvent': {
        const messageId = id(`Message_${element.id}`);
        rootElements.push(...tag('bpmn:message', { id: messageId, name: label(element) }));
        children.push(...tag('bpmn:messageEventDefinition', { id: id(`MessageEventDefinition_${element.id}`), messageRef: messageId }));
        break;
      }
      case 'intermediateEscalationEvent': {
        const escalationId = id(`Escalation_${element.id}`);
        rootElements.push(...tag('bpmn:escalation', { id: escalationId, name: label(element), escalationCode: element.id }));
        children.push(
          ...tag('bpmn:escalationEventDefinition', { id: id(`EscalationEventDefinition_${element.id}`), escalationRef: escalationId }),
        );
        break;
      }
      default:
        break;
    }
    flowElements.push(...tag(`bpmn:${BPMN_TAG[element.kind]}`, attributes, children));
  }
  for (const flow of model.flows) {
    flowElements.push(...tag('bpmn:sequenceFlow', { id: id(flow.id), name: flow.name, sourceRef: flow.from, targetRef: flow.to }));
  }

  const diagramElements: string[] = [];
  for (const element of model.elements) {
    const b = layout.shapes.get(element.id);
    if (!b) continue;
    const isGateway = element.kind === 'exclusiveGateway';
    diagramElements.push(
      ...tag(
        'bpmndi:BPMNShape',
        { id: id(`${element.id}_di`), bpmnElement: element.id, isMarkerVisible: isGateway ? true : undefined },
        tag('dc:Bounds', { x: b.x, y: b.y, width: b.width, height: b.height }),
      ),
    );
  }
  for (const flow of model.flows) {
    const points = layout.edges.get(flow.id) ?? [];
    diagramElements.push(
      ...tag(
        'bpmndi:BPMNEdge',
        { id: id(`${flow.id}_di`), bpmnElement: flow.id },
        points.flatMap((p) => tag('di:waypoint', { x: p.x, y: p.y })),
      ),
    );
  }

  const processDocs = textTag('bpmn:documentation', otherLabel(model));
  const definitions = tag(
    'bpmn:definitions',
    {
      'xmlns:bpmn': 'http://www.omg.org/spec/BPMN/20100524/MODEL',
      'xmlns:bpmndi': 'http://www.omg.org/spec/BPMN/20100524/DI',
      'xmlns:dc': 'http://www.omg.org/spec/DD/20100524/DC',
      'xmlns:di': 'http://www.omg.org/spec/DD/20100524/DI',
      id: id(`Definitions_${suffix}`),
      targetNamespace: `urn:two-responsibilities:process-models:${suffix}`,
      exporter: 'two-responsibilities',
      exporterVersion: '1',
    },
    [
      ...rootElements,
      ...tag('bpmn:process', { id: id(processId), name: label(model), isExecutable: true }, [...processDocs, ...flowElements]),
      ...tag('bpmndi:BPMNDiagram', { id: id(`BPMNDiagram_${suffix}`) }, [
        ...tag('bpmndi:BPMNPlane', { id: id(`BPMNPlane_${suffix}`), bpmnElement: processId }, diagramElements),
      ]),
    ],
  );
  return ['<?xml version="1.0" encoding="UTF-8"?>', ...definitions, ''].join('\n');
}
