/** The BPMN diagram of a process with its elements marked active, done or overdue. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { t } from './i18n.js';

export interface ElementStates { active: string[]; done: string[]; overdue: string[] }

interface Canvas {
  addMarker(id: string, marker: string): void;
  zoom(level?: string | number): number;
  viewbox(): { inner: { width: number; height: number } };
  resized(): void;
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
  fitToWidth(container, canvas);
  container.dataset.marked = JSON.stringify(marked);
  return { marked };
}

/**
 * The box takes the diagram's own proportions at the page's width (within 260–900 px), so a
 * tall diagram (a case's parallel measures) is not shrunk into a strip; zoom buttons and the
 * mouse wheel (NavigatedViewer) take it closer.
 */
function fitToWidth(container: HTMLElement, canvas: Canvas): void {
  const { width, height } = canvas.viewbox().inner;
  if (width > 0 && height > 0) {
    const wanted = Math.round(((container.clientWidth || 800) * height) / width) + 40;
    container.style.height = `${Math.min(900, Math.max(260, wanted))}px`;
    canvas.resized();
  }
  canvas.zoom('fit-viewport');
  const button = (label: string, title: string, act: () => void) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small';
    b.textContent = label;
    b.title = title;
    b.addEventListener('click', act);
    return b;
  };
  const tools = document.createElement('div');
  tools.className = 'diagram-zoom';
  tools.append(
    button('+', t('zoomIn'), () => canvas.zoom(canvas.zoom() * 1.25)),
    button('−', t('zoomOut'), () => canvas.zoom(canvas.zoom() / 1.25)),
    button('⤢', t('zoomFit'), () => canvas.zoom('fit-viewport')),
  );
  container.appendChild(tools);
}
