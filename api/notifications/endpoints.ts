/** The in-app notification list of an organisation. */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { notFound } from '../http/errors.js';
import { canRead, loadOrg } from '../auth/access.js';
import { Page, PageQuery } from '../http/schemas.js';
import { findPage } from '../http/paging.js';
import type { NotificationRecord } from '../../models/notification.js';

const NotificationView = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  processId: z.string().optional(),
  taskId: z.string().optional(),
  createdAt: z.string(),
});

export function notificationEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/notifications',
      summary: 'Notifications of the caller\'s organisation (or, for a supervisor, of an organisation in its subtree), newest first',
      tag: 'notifications',
      access: 'authenticated',
      query: PageQuery.extend({ orgId: z.string().min(1).optional(), kind: z.string().min(1).optional(), taskId: z.string().min(1).optional() }),
      response: { status: 200, description: 'a page of notifications', schema: Page(NotificationView) },
      errors: [404],
    },
    async ({ query, principal }) => {
      const orgId = query.orgId ?? principal.orgId;
      if (orgId !== principal.orgId) {
        const org = await loadOrg(deps.models, orgId);
        if (!org || !(await canRead(deps.models, principal, org))) throw notFound('organisation');
      }
      const filter: Record<string, unknown> = { orgId };
      if (query.kind) filter.kind = query.kind;
      if (query.taskId) filter.taskId = query.taskId;
      return findPage(deps.models.Notification, filter, { createdAt: -1, _id: 1 }, query, (n: NotificationRecord) => ({
        id: n._id,
        orgId: n.orgId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? '',
        ...(n.processId ? { processId: n.processId } : {}),
        ...(n.taskId ? { taskId: n.taskId } : {}),
        createdAt: n.createdAt.toISOString(),
      }));
    },
  );
}
