/**
 * The express app, apart from listening (see main.ts), so tests mount it in-process.
 * Every endpoint is declared once in an `Endpoints` registry: route, zod parsing and
 * OpenAPI operation come from the same declaration.
 */
import express from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Client } from '@temporalio/client';
import type { Models } from '../models/index.js';
import { ProcessIndex } from '../read-model/process-index.js';
import type { Config } from '../config/env.js';
import { bearerAuthenticator, tokenScopeOf } from './auth/tokens.js';
import { authEndpoints } from './auth/endpoints.js';
import { accountEndpoints } from './accounts/endpoints.js';
import type { SsoConfig } from './auth/sso.js';
import { withDirectoryScope } from '../models/directory.js';
import { holdsPostAt } from '../models/org-queries.js';
import { Endpoints } from './http/endpoint.js';
import { errorHandler, identityBodiesOnly, unknownRoute } from './http/errors.js';
import { createMetrics } from './metrics/metrics.js';
import { openApiDocument } from './http/openapi.js';
import { healthEndpoints } from './health/endpoints.js';
import { orgEndpoints } from './orgs/endpoints.js';
import { peopleEndpoints } from './people/endpoints.js';
import { policyEndpoints } from './policies/endpoints.js';
import { documentEndpoints } from './documents/endpoints.js';
import { registerProcessModelEndpoints } from './process-models/endpoints.js';
import { taskEndpoints } from './tasks/endpoints.js';
import { processEndpoints } from './processes/endpoints.js';
import { processSearchEndpoints } from './processes/search.js';
import { processDiagramEndpoints } from './processes/diagram.js';
import { dashboardEndpoints } from './dashboard/endpoints.js';
import { notificationEndpoints } from './notifications/endpoints.js';
import { auditEndpoints } from './audit/endpoints.js';
import { proposalEndpoints } from './proposals/endpoints.js';
import { obligationEndpoints } from './obligations/endpoints.js';
import { interviewEndpoints } from './interviews/endpoints.js';
import { caseEndpoints } from './cases/endpoints.js';
import { accountabilityRecordEndpoints } from './accountability-records/endpoints.js';
import { rectificationEndpoints } from './rectifications/endpoints.js';
import { mongoIdempotencyStore } from './http/idempotency.js';
import { inputDateRange } from './http/dates.js';
import { formEndpoints } from './forms/endpoints.js';
import { webhookEndpoints, webhookEventDocs } from './webhooks/endpoints.js';
import { consoleRouter } from './console/static.js';
import { securityHeaders } from './http/security-headers.js';
import { processModels as registeredModels } from '../workflows/process-models.js';
import type { ProcessModel } from '../domain/process-model.js';

/** Each feature folder registers its endpoints; the order is the order of the docs. */
const features: Array<(api: Endpoints, deps: AppDeps) => void> = [
  healthEndpoints,
  authEndpoints,
  taskEndpoints,
  processSearchEndpoints,
  processEndpoints,
  processDiagramEndpoints,
  dashboardEndpoints,
  rectificationEndpoints,
  notificationEndpoints,
  proposalEndpoints,
  interviewEndpoints,
  caseEndpoints,
  accountabilityRecordEndpoints,
  auditEndpoints,
  orgEndpoints,
  peopleEndpoints,
  accountEndpoints,
  policyEndpoints,
  obligationEndpoints,
  documentEndpoints,
  webhookEndpoints,
  // The registry's models plus any a deployment (or a test fixture) adds.
  (api, deps) => registerProcessModelEndpoints(api, [...registeredModels, ...(deps.processModels ?? [])]),
  formEndpoints,
];

export interface AppDeps {
  config: Pick<Config, 'AUTH_SECRET' | 'TASK_QUEUE' | 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'> &
    Partial<Pick<Config, 'METRICS_TOKEN' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>> &
    SsoConfig;
  temporal: Client;
  models: Models;
  /** Summaries and open tasks in memory, for search and the dashboard (read-model/process-index.ts). */
  processIndex: ProcessIndex;
  /** Process models besides the registry's (e.g. test fixtures), for models and diagrams. */
  processModels?: readonly ProcessModel[];
}

/** What createApp takes: without a process index, it makes one of its own. */
export type AppOptions = Omit<AppDeps, 'processIndex'> & Partial<Pick<AppDeps, 'processIndex'>>;

export const API_BASE = '/api/v1';

export function createApp(options: AppOptions): express.Express {
  const deps: AppDeps = { ...options, processIndex: options.processIndex ?? new ProcessIndex(options.models) };
  const app = express();
  app.disable('x-powered-by');
  const index = deps.processIndex;
  const metrics = createMetrics({
    process_index_loaded: { help: 'Whether the in-memory process index has loaded (1) or not yet (0).', value: () => (index.stats().state === 'ready' ? 1 : 0) },
    process_index_summaries: { help: 'Process summaries held by the process index.', value: () => index.stats().summaries },
    process_index_open_tasks: { help: 'Open tasks held by the process index.', value: () => index.stats().openTasks },
    process_index_tasks: { help: 'Tasks of any status held by the process index.', value: () => index.stats().tasks },
    process_index_behind: { help: 'Whether the last read was answered before the index caught up with the change log (1) or not (0).', value: () => (index.stats().behind ? 1 : 0) },
    process_index_log_position: { help: 'Change-log entries the process index has read.', value: () => index.stats().logPosition },
  });
  app.use(securityHeaders);
  app.use(metrics.middleware);
  metrics.mount(app, deps.config.METRICS_TOKEN);
  app.use(identityBodiesOnly);

  // One view of the directory per request from here on, authentication included (a token's person is checked against it).
  app.use((_req, _res, next) => withDirectoryScope(() => Promise.resolve(next())));
  const authenticate = bearerAuthenticator({
    secret: deps.config.AUTH_SECRET,
    scope: tokenScopeOf(deps.config),
    holdsPost: (personId, orgId) => holdsPostAt(deps.models, personId, orgId),
  });
  const api = new Endpoints(authenticate, mongoIdempotencyStore(deps.models), () => inputDateRange(deps.models));
  for (const register of features) register(api, deps);

  const document = openApiDocument(
    api.operations,
    {
      title: 'Two responsibilities (两个责任) workflow service',
      version: '1',
      description:
        'Durable processes for the party committee primary responsibility and the discipline inspection commission supervisory responsibility (Yiwu City rules, 2015).',
    },
    webhookEventDocs(),
  );
  app.get(`${API_BASE}/openapi.json`, (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: `${API_BASE}/openapi.json` } }));
  app.use(api.router);
  app.use(consoleRouter());
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
