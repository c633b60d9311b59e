/** The BPMN diagram of a process with its elements marked active, done or overdue. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

export interface ElementStates { active: string[]; done: string[]; overdue: string[] }

interface Canvas {
  addMarker(id: string, marker: string): void;
  zoom(level: string): void;
}
interface Registry { get(id: string): unknown }

export async function showDiagram(container: HTMLElement, xml: string, states: ElementStates): Promise<{ marked: Record<string, string[]> }> {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<Registry>('elementRegistry');
  const marked: Record<string, string[]> = { active: [], done: [], overdue: [] };
  // Overdue wins over active: an overdue task is also active.
  const order: Array<keyof ElementStates> = ['done', 'active', 'overdue'];
  const stateOf = new Map<string, keyof ElementStates>();
  for (const state of order) for (const id of states[state]) stateOf.set(id, state);
  for (const [id, state] of stateOf) {
    if (!registry.get(id)) continue;
    canvas.addMarker(id, `state-${state}`);
    marked[state]!.push(id);
  }
  canvas.zoom('fit-viewport');
  container.dataset.marked = JSON.stringify(marked);
  return { marked };
}
