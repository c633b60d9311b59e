/**
 * Process types' element models and their BPMN diagrams: what the console draws and
 * colours with the element states a running workflow reports. Models are static data from
 * the registry, so any signed-in user may read them.
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { notFound } from '../http/errors.js';
import { toBpmnXml } from '../../domain/bpmn.js';
import type { ProcessModel } from '../../domain/process-model.js';
import { processModelOf, processModels } from '../../workflows/process-models.js';

const ElementKind = z.enum([
  'startEvent',
  'endEvent',
  'userTask',
  'serviceTask',
  'exclusiveGateway',
  'parallelGateway',
  'boundaryTimerEvent',
  'intermediateMessageEvent',
  'intermediateEscalationEvent',
  'callActivity',
]);

const ProcessElement = z.object({
  id: z.string(),
  kind: ElementKind,
  name: z.string(),
  nameZh: z.string(),
  attachedTo: z.string().optional().describe('for boundary events: the task it sits on'),
  interrupting: z.boolean().optional().describe('for boundary events: whether it ends the task'),
  articles: z.array(z.string()).optional().describe('articles of the Rules it carries out, e.g. "6(12)"'),
});

const SequenceFlow = z.object({ id: z.string(), from: z.string(), to: z.string(), name: z.string().optional() });

const ProcessModelSchema = z.object({
  processType: z.string(),
  name: z.string(),
  nameZh: z.string(),
  elements: z.array(ProcessElement),
  flows: z.array(SequenceFlow),
});

const ProcessModelSummary = ProcessModelSchema.omit({ flows: true });

const TypeParams = z.object({ type: z.string().min(1).max(100).describe('process type, e.g. "rectification"') });
const BpmnQuery = z.object({
  lang: z.enum(['zh', 'en']).default('zh').describe('language of the element names; the other goes into documentation'),
});

export function processModelEndpoints(api: Endpoints, _deps: AppDeps): void {
  registerProcessModelEndpoints(api, processModels);
}

/** The endpoints over a given list of models (the registry in the app; a fixture in tests). */
export function registerProcessModelEndpoints(api: Endpoints, models: readonly ProcessModel[]): void {
  const modelOf = (type: string): ProcessModel => {
    const model = processModelOf(type, models);
    if (!model) throw notFound(`process type "${type}"`);
    return model;
  };

  api.add(
    {
      method: 'get',
      path: '/api/v1/process-models',
      summary: 'Every process type with its names and elements',
      tag: 'process models',
      access: 'authenticated',
      response: { status: 200, description: 'the process types', schema: z.object({ items: z.array(ProcessModelSummary) }) },
    },
    () => ({ items: models.map(({ processType, name, nameZh, elements }) => ({ processType, name, nameZh, elements })) }),
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/process-models/{type}',
      summary: "A process type's element model: elements with stable IDs and sequence flows",
      tag: 'process models',
      access: 'authenticated',
      params: TypeParams,
      response: { status: 200, description: 'the element model', schema: ProcessModelSchema },
      errors: [404],
    },
    ({ params }) => modelOf(params.type),
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/process-models/{type}/bpmn',
      summary: "A process type's BPMN 2.0 XML with diagram layout (served as application/xml)",
      tag: 'process models',
      access: 'authenticated',
      params: TypeParams,
      query: BpmnQuery,
      response: { status: 200, description: 'BPMN 2.0 XML', schema: z.string(), contentType: 'application/xml' },
      errors: [404],
    },
    ({ params, query, res }) => {
      const xml = toBpmnXml(modelOf(params.type), { lang: query.lang });
      // Sent here as XML; the endpoint helper sends (JSON) only when nothing was sent yet.
      res.type('application/xml').send(xml);
      return xml;
    },
  );
}
