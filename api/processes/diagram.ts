/**
 * A process's diagram: the BPMN XML of its type and the element IDs of this instance that
 * are active, done and overdue, for the console to colour. The running workflow is asked
 * first (its query is the truth); when it cannot answer (gone from Temporal, no worker for
 * a closed one), the states come from the summary and the tasks in MongoDB.
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { notFound } from '../http/errors.js';
import { toBpmnXml } from '../../domain/bpmn.js';
import type { ElementStates, ProcessModel } from '../../domain/process-model.js';
import { processModelOf } from '../../workflows/process-models.js';
import { processStateQuery } from '../../workflows/messages.js';
import type { ProcessSummary } from '../../models/process-summary.js';
import type { Models } from '../../models/index.js';
import { loadVisibleSummary } from './endpoints.js';

/** How long the diagram waits for the workflow's answer before reading MongoDB instead. */
const QUERY_DEADLINE_MS = 3_000;

export const Diagram = z.object({
  processId: z.string(),
  processType: z.string(),
  xml: z.string().describe('BPMN 2.0 XML with diagram layout'),
  elements: z.object({ active: z.array(z.string()), done: z.array(z.string()), overdue: z.array(z.string()) }),
  source: z.enum(['workflow', 'summary']).describe('where the element states come from'),
});

async function statesFromRecords(models: Models, summary: ProcessSummary, model: ProcessModel): Promise<ElementStates> {
  const tasks = await models.Task.find({ processId: summary._id }, { elementId: 1, status: 1, overdue: 1 }).lean<Array<{ elementId: string; status: string; overdue?: boolean }>>();
  const active = summary.status === 'running' ? [...(summary.activeElements ?? [])] : [];
  const done = new Set(tasks.filter((t) => t.status === 'completed').map((t) => t.elementId));
  const start = model.elements.find((e) => e.kind === 'startEvent');
  if (start) done.add(start.id);
  const end = model.elements.find((e) => e.kind === 'endEvent');
  if (summary.status === 'completed' && end) done.add(end.id);
  const overdue = [...new Set(tasks.filter((t) => t.status === 'open' && t.overdue).map((t) => t.elementId))];
  return { active, done: [...done].filter((id) => !active.includes(id)), overdue };
}

export function processDiagramEndpoints(api: Endpoints, deps: AppDeps): void {
  // The registry first, then the models a deployment or a test fixture adds (AppDeps).
  const modelOf = (processType: string) => processModelOf(processType) ?? processModelOf(processType, deps.processModels ?? []);
  api.add(
    {
      method: 'get',
      path: '/api/v1/processes/{id}/diagram',
      summary: 'The BPMN 2.0 diagram of a process\'s type with this instance\'s active, done and overdue elements',
      tag: 'processes',
      access: 'authenticated',
      params: z.object({ id: z.string().min(1) }),
      query: z.object({ lang: z.enum(['zh', 'en']).default('zh').describe('language of the element labels') }),
      response: { status: 200, description: 'the diagram and the element states', schema: Diagram },
      errors: [404],
    },
    async ({ params, query, principal }) => {
      const summary = await loadVisibleSummary(deps, principal, params.id);
      const model = modelOf(summary.processType);
      if (!model) throw notFound(`diagram of process type ${summary.processType}`);
      let elements: ElementStates;
      let source: 'workflow' | 'summary' = 'workflow';
      try {
        const state = await deps.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
          deps.temporal.workflow.getHandle(params.id).query(processStateQuery),
        );
        elements = state.elements;
      } catch {
        source = 'summary';
        elements = await statesFromRecords(deps.models, summary, model);
      }
      return { processId: params.id, processType: summary.processType, xml: toBpmnXml(model, { lang: query.lang }), elements, source };
    },
  );
}
