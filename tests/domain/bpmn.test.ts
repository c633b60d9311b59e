import { describe, expect, it } from 'vitest';
import BpmnModdle, { type ModdleElement, type ParseResult } from 'bpmn-moddle';
import { bpmnProcessId, bpmnTypeOf, layoutProcessModel, processModelProblems, toBpmnXml } from '../../domain/bpmn.js';
import type { ProcessModel } from '../../domain/process-model.js';
import { processModels } from '../../workflows/process-models.js';
import { sampleProcessModel } from '../fixtures/sample-process-model.js';

/** XML 1.0 NCName, ASCII part: no colon, starts with a letter or underscore. */
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

async function parse(xml: string): Promise<ParseResult> {
  return new BpmnModdle().fromXML(xml);
}

function processOf(parsed: ParseResult): ModdleElement {
  const process = (parsed.rootElement.rootElements as ModdleElement[]).find((e) => e.$type === 'bpmn:Process');
  if (!process) throw new Error('no process in the document');
  return process;
}

function diOf(parsed: ParseResult): { shapes: Map<string, ModdleElement>; edges: Map<string, ModdleElement> } {
  const plane = (parsed.rootElement.diagrams as ModdleElement[])[0]?.plane as ModdleElement;
  const shapes = new Map<string, ModdleElement>();
  const edges = new Map<string, ModdleElement>();
  for (const di of plane.planeElement as ModdleElement[]) {
    if (di.$type === 'bpmndi:BPMNShape') shapes.set(di.bpmnElement.id, di);
    if (di.$type === 'bpmndi:BPMNEdge') edges.set(di.bpmnElement.id, di);
  }
  return { shapes, edges };
}

/** Whether a point lies on or inside a shape's bounds (a waypoint where a flow leaves or enters it). */
function touches(bounds: { x: number; y: number; width: number; height: number }, p: { x: number; y: number }): boolean {
  return p.x >= bounds.x && p.x <= bounds.x + bounds.width && p.y >= bounds.y && p.y <= bounds.y + bounds.height;
}

const checked: string[] = [];

describe.each([sampleProcessModel, ...processModels].map((model) => ({ model, type: model.processType })))(
  'BPMN of the $type model',
  ({ model }: { model: ProcessModel }) => {
    it('when its BPMN is parsed with bpmn-moddle, then there are no warnings and the process is executable with a derived id', async () => {
      const parsed = await parse(toBpmnXml(model));
      expect(parsed.warnings.map((w) => w.message)).toEqual([]);
      expect(parsed.rootElement.$type).toBe('bpmn:Definitions');
      expect(parsed.rootElement.targetNamespace).toMatch(/\S/);
      const process = processOf(parsed);
      expect(process.id).toBe(bpmnProcessId(model.processType));
      expect(process.isExecutable).toBe(true);
      expect(process.name).toBe(model.nameZh);
      checked.push(model.processType);
    });

    it('when parsed, then every element exists with its id, BPMN type, Chinese name and English documentation', async () => {
      const parsed = await parse(toBpmnXml(model));
      for (const element of model.elements) {
        const bpmn = parsed.elementsById[element.id];
        expect(bpmn, element.id).toBeDefined();
        expect(bpmn?.$type, element.id).toBe(bpmnTypeOf(element.kind));
        expect(bpmn?.name).toBe(element.nameZh);
        expect(bpmn?.documentation?.[0]?.text).toContain(element.name);
      }
    });

    it('when parsed, then every flow exists with its source and target, which list it as outgoing and incoming', async () => {
      const parsed = await parse(toBpmnXml(model));
      for (const flow of model.flows) {
        const bpmn = parsed.elementsById[flow.id];
        expect(bpmn?.$type, flow.id).toBe('bpmn:SequenceFlow');
        expect(bpmn?.sourceRef?.id).toBe(flow.from);
        expect(bpmn?.targetRef?.id).toBe(flow.to);
        expect((bpmn?.sourceRef.outgoing as ModdleElement[]).map((f) => f.id)).toContain(flow.id);
        expect((bpmn?.targetRef.incoming as ModdleElement[]).map((f) => f.id)).toContain(flow.id);
      }
      const sequenceFlows = (processOf(parsed).flowElements as ModdleElement[]).filter((e) => e.$type === 'bpmn:SequenceFlow');
      expect(sequenceFlows.length).toBe(model.flows.length);
    });

    it('when parsed, then every element has a DI shape and every flow a DI edge whose ends touch its source and target', async () => {
      const parsed = await parse(toBpmnXml(model));
      const { shapes, edges } = diOf(parsed);
      expect([...shapes.keys()].sort()).toEqual(model.elements.map((e) => e.id).sort());
      expect([...edges.keys()].sort()).toEqual(model.flows.map((f) => f.id).sort());
      for (const flow of model.flows) {
        const waypoints = edges.get(flow.id)?.waypoint as Array<{ x: number; y: number }>;
        expect(waypoints.length, flow.id).toBeGreaterThanOrEqual(2);
        expect(touches(shapes.get(flow.from)?.bounds, waypoints[0]!), `${flow.id} leaves ${flow.from}`).toBe(true);
        expect(touches(shapes.get(flow.to)?.bounds, waypoints[waypoints.length - 1]!), `${flow.id} enters ${flow.to}`).toBe(true);
      }
    });

    it('when laid out, then no two nodes overlap (boundary events aside)', () => {
      const { shapes } = layoutProcessModel(model);
      const nodes = model.elements.filter((e) => e.kind !== 'boundaryTimerEvent').map((e) => ({ id: e.id, b: shapes.get(e.id)! }));
      for (const [i, a] of nodes.entries()) {
        for (const c of nodes.slice(i + 1)) {
          const apart = a.b.x + a.b.width <= c.b.x || c.b.x + c.b.width <= a.b.x || a.b.y + a.b.height <= c.b.y || c.b.y + c.b.height <= a.b.y;
          expect(apart, `${a.id} and ${c.id}`).toBe(true);
        }
      }
    });

    it('when parsed, then each boundary timer references its host, is interrupting as modelled, and sits on the host’s bottom edge', async () => {
      const parsed = await parse(toBpmnXml(model));
      const { shapes } = diOf(parsed);
      for (const element of model.elements.filter((e) => e.kind === 'boundaryTimerEvent')) {
        const bpmn = parsed.elementsById[element.id]!;
        expect(bpmn.attachedToRef?.id).toBe(element.attachedTo);
        expect(bpmn.cancelActivity).toBe(element.interrupting ?? true);
        expect((bpmn.eventDefinitions as ModdleElement[]).map((d) => d.$type)).toEqual(['bpmn:TimerEventDefinition']);
        const event = shapes.get(element.id)?.bounds;
        const host = shapes.get(element.attachedTo!)?.bounds;
        expect(event.y + event.height / 2).toBe(host.y + host.height);
        expect(event.x).toBeGreaterThanOrEqual(host.x);
        expect(event.x + event.width).toBeLessThanOrEqual(host.x + host.width);
      }
    });

    it('when parsed, then message and escalation events reference message and escalation root elements', async () => {
      const parsed = await parse(toBpmnXml(model));
      const roots = parsed.rootElement.rootElements as ModdleElement[];
      for (const element of model.elements) {
        const definitions = parsed.elementsById[element.id]?.eventDefinitions as ModdleElement[] | undefined;
        if (element.kind === 'intermediateMessageEvent') {
          expect(definitions?.[0]?.$type).toBe('bpmn:MessageEventDefinition');
          expect(roots).toContain(definitions?.[0]?.messageRef);
          expect(definitions?.[0]?.messageRef?.$type).toBe('bpmn:Message');
        }
        if (element.kind === 'intermediateEscalationEvent') {
          expect(definitions?.[0]?.$type).toBe('bpmn:EscalationEventDefinition');
          expect(roots).toContain(definitions?.[0]?.escalationRef);
          expect(definitions?.[0]?.escalationRef?.$type).toBe('bpmn:Escalation');
        }
      }
    });

    it('when parsed, then every id in the document is a valid XML NCName and the model has no problems', async () => {
      expect(processModelProblems(model)).toEqual([]);
      const parsed = await parse(toBpmnXml(model));
      const ids = Object.keys(parsed.elementsById);
      expect(ids.length).toBeGreaterThan(model.elements.length + model.flows.length);
      for (const id of ids) expect(id).toMatch(NCNAME);
    });
  },
);

describe('BPMN generation', () => {
  it('when the registry is checked, then the fixture and every registered model were converted and parsed, with unique process types', () => {
    // describe.each above ran before this test in the same file (vitest runs tests in order).
    expect(checked).toEqual([sampleProcessModel.processType, ...processModels.map((m) => m.processType)]);
    const types = processModels.map((m) => m.processType);
    expect(new Set(types).size).toBe(types.length);
  });

  it('when names contain &, <, > and quotes, then they are escaped and read back unchanged', async () => {
    const tricky: ProcessModel = {
      ...sampleProcessModel,
      name: 'Plans & <reports>',
      nameZh: '方案 & "进展" <报告>',
      elements: sampleProcessModel.elements.map((e) => (e.id === 'reviewPlan' ? { ...e, name: `Review "plan" & <items> 'ok'`, nameZh: '审核 & <方案>' } : e)),
      flows: sampleProcessModel.flows.map((f) => (f.id === 'flowPlanReturned' ? { ...f, name: 'returned <to unit> & "redo"' } : f)),
    };
    const xml = toBpmnXml(tricky);
    expect(xml).not.toContain('<items>');
    expect(xml).toContain('审核 &amp; &lt;方案&gt;');
    const parsed = await parse(xml);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.elementsById.reviewPlan?.name).toBe('审核 & <方案>');
    expect(parsed.elementsById.reviewPlan?.documentation[0].text).toContain(`Review "plan" & <items> 'ok'`);
    expect(parsed.elementsById.flowPlanReturned?.name).toBe('returned <to unit> & "redo"');
    expect(processOf(parsed).name).toBe('方案 & "进展" <报告>');
  });

  it('when English labels are asked for, then names are English and the Chinese goes into the documentation', async () => {
    const parsed = await parse(toBpmnXml(sampleProcessModel, { lang: 'en' }));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.elementsById.submitPlan?.name).toBe('Submit rectification plan');
    expect(parsed.elementsById.submitPlan?.documentation[0].text).toBe('报送整改方案\nArt. 6(12)');
  });

  it('when a model loops back, then the back edges are left out of the layering: the main line runs left to right on one row', () => {
    const { shapes, edges } = layoutProcessModel(sampleProcessModel);
    const mainLine = ['feedbackIssued', 'submitPlan', 'planReceived', 'reviewPlan', 'planAccepted', 'reportProgress', 'allRectified', 'closeRectification', 'rectificationClosed'];
    const centres = mainLine.map((id) => {
      const b = shapes.get(id)!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    });
    for (let i = 1; i < centres.length; i++) {
      expect(centres[i]!.x, mainLine[i]).toBeGreaterThan(centres[i - 1]!.x);
      expect(centres[i]!.y, mainLine[i]).toBe(centres[0]!.y);
    }
    // The "returned" loop runs above the main line, back to the plan task.
    const loop = edges.get('flowPlanReturned')!;
    expect(Math.min(...loop.map((p) => p.y))).toBeLessThan(shapes.get('submitPlan')!.y);
  });

  it('when the same model is converted twice, then the XML is identical', () => {
    expect(toBpmnXml(sampleProcessModel)).toBe(toBpmnXml(sampleProcessModel));
  });

  it('when a model has a bad id, a dangling flow or a boundary event without a task, then conversion is refused naming each problem', () => {
    const broken: ProcessModel = {
      ...sampleProcessModel,
      elements: [
        ...sampleProcessModel.elements,
        { id: '1 bad', kind: 'userTask', name: 'Bad', nameZh: '坏' },
        { id: 'looseTimer', kind: 'boundaryTimerEvent', name: 'Loose', nameZh: '游离', attachedTo: 'planAccepted', interrupting: false },
      ],
      flows: [...sampleProcessModel.flows, { id: 'flowNowhere', from: 'reviewPlan', to: 'nowhere' }],
    };
    expect(() => toBpmnXml(broken)).toThrow(/"1 bad" is not an XML NCName.*"looseTimer" is attached to "planAccepted".*"flowNowhere" ends at unknown element "nowhere"/);
  });

  it('when a model id clashes with a generated id, then conversion is refused', () => {
    const clashing: ProcessModel = {
      ...sampleProcessModel,
      elements: [...sampleProcessModel.elements, { id: 'submitPlan_di', kind: 'endEvent', name: 'Clash', nameZh: '冲突' }],
    };
    expect(() => toBpmnXml(clashing)).toThrow(/"submitPlan_di" would be used twice/);
  });
});
