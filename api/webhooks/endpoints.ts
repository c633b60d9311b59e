/**
 * Webhook subscriptions (docs/webhooks.md): an organisation's notifications POSTed to a URL,
 * signed with the subscription's own secret. Administrators manage them (create, change,
 * delete, rotate the secret, list): a subscription is a standing channel that sends an
 * organisation's notices (people's names, overdue duties, proposed cases) out of the
 * service, which is a decision about the deployment rather than about a case
 * (docs/decisions.md). The secret is shown once, in the answer that makes it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { notFound, unprocessable } from '../http/errors.js';
import { loadOrg } from '../auth/access.js';
import { appendAuditEntry } from '../../activities/audit.js';
import { actorOf } from '../auth/tokens.js';
import { Page, PageQuery } from '../http/schemas.js';
import { findPage } from '../http/paging.js';
import { WEBHOOK_EVENTS, WEBHOOK_HEADERS, WebhookEvent, WebhookPayload } from '../../domain/webhooks.js';
import type { WebhookDoc } from '../http/openapi.js';
import type { Models } from '../../models/index.js';
import type { WebhookSubscription } from '../../models/webhook-subscription.js';

const Url = z.url({ protocol: /^https?$/ }).max(2000).describe('where deliveries are POSTed (http or https; redirects are not followed)');
const Events = z.array(WebhookEvent).max(20).describe('the event kinds delivered; empty or absent: every kind');
const Description = z.string().trim().min(1).max(500);
const IdParams = z.object({ id: z.string().min(1).max(200) });

const CreateBody = z.strictObject({
  orgId: z.string().min(1).max(200).describe('the organisation whose notifications are delivered'),
  url: Url,
  events: Events.optional(),
  description: Description.optional(),
});

const ChangeBody = z
  .strictObject({ url: Url.optional(), events: Events.optional(), description: Description.optional(), active: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'change at least one of url, events, description, active');

const SubscriptionView = z.object({
  id: z.string(),
  orgId: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().optional(),
  active: z.boolean(),
  secretRotatedAt: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const WithSecret = z.object({
  subscription: SubscriptionView,
  secret: z.string().describe('the signing secret (HMAC-SHA256 key): shown only in this answer, keep it'),
});

/** A new signing secret: 32 random bytes. The receiver uses the whole string as the HMAC key. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function view(sub: WebhookSubscription): z.input<typeof SubscriptionView> {
  return {
    id: sub._id,
    orgId: sub.orgId,
    url: sub.url,
    events: [...sub.events],
    ...(sub.description ? { description: sub.description } : {}),
    active: sub.active,
    secretRotatedAt: new Date(sub.secretRotatedAt).toISOString(),
    createdBy: sub.createdBy,
    createdAt: new Date(sub.createdAt).toISOString(),
    updatedAt: new Date(sub.updatedAt).toISOString(),
  };
}

async function loadSubscription(models: Models, id: string): Promise<WebhookSubscription> {
  const sub = await models.WebhookSubscription.findById(id).lean<WebhookSubscription>();
  if (!sub) throw notFound(`webhook subscription ${id}`);
  return sub;
}

async function audit(models: Models, principal: Principal, action: string, sub: Pick<WebhookSubscription, '_id' | 'orgId'>, details: Record<string, unknown>): Promise<void> {
  const org = await loadOrg(models, sub.orgId);
  await appendAuditEntry(models, {
    entryId: `${action}:${sub._id}:${randomUUID()}`,
    at: new Date().toISOString(),
    actor: { kind: 'user', ...actorOf(principal) },
    action,
    target: { kind: 'webhookSubscription', id: sub._id },
    orgId: sub.orgId,
    orgPath: org?.path ?? [sub.orgId],
    outcome: 'ok',
    details,
  });
}

export function webhookEndpoints(api: Endpoints, deps: AppDeps): void {
  const { models } = deps;
  const common = { tag: 'webhooks', access: 'authenticated' as const, roles: ['admin' as const] };

  api.add(
    {
      ...common,
      method: 'get',
      path: '/api/v1/webhooks',
      summary: 'Webhook subscriptions, of one organisation or of all (administrators); secrets are never shown again',
      query: PageQuery.extend({ orgId: z.string().min(1).optional() }),
      response: { status: 200, description: 'a page of subscriptions', schema: Page(SubscriptionView) },
    },
    async ({ query }) => findPage(models.WebhookSubscription, query.orgId ? { orgId: query.orgId } : {}, { _id: 1 }, query, view),
  );

  api.add(
    {
      ...common,
      method: 'get',
      path: '/api/v1/webhooks/{id}',
      summary: 'One webhook subscription (administrators)',
      params: IdParams,
      response: { status: 200, description: 'the subscription', schema: SubscriptionView },
      errors: [404],
    },
    async ({ params }) => view(await loadSubscription(models, params.id)),
  );

  api.add(
    {
      ...common,
      method: 'post',
      path: '/api/v1/webhooks',
      summary: 'Subscribe a URL to an organisation\'s notifications (administrators); the answer shows the signing secret, once',
      body: CreateBody,
      response: { status: 201, description: 'the subscription and its secret', schema: WithSecret },
      errors: [422],
    },
    async ({ body, principal }) => {
      const org = await loadOrg(models, body.orgId);
      if (!org) throw unprocessable(`organisation ${body.orgId} does not exist`);
      const now = new Date();
      const secret = newSecret();
      const sub = {
        _id: `whs_${randomUUID()}`,
        orgId: org._id,
        url: body.url,
        events: body.events ?? [],
        ...(body.description ? { description: body.description } : {}),
        active: true,
        secret,
        secretRotatedAt: now,
        createdBy: principal.sub,
      };
      const created = (await models.WebhookSubscription.create(sub)).toObject<WebhookSubscription>();
      try {
        // The organisation lists it, so a notification finds it by `_id` (activities/notify.ts).
        await models.Org.updateOne({ _id: org._id }, { $addToSet: { webhookSubscriptionIds: created._id } });
      } catch (err) {
        await models.WebhookSubscription.deleteOne({ _id: created._id });
        throw err;
      }
      await audit(models, principal, 'webhook.create', created, { url: created.url, events: created.events });
      return { subscription: view(created), secret };
    },
  );

  api.add(
    {
      ...common,
      method: 'patch',
      path: '/api/v1/webhooks/{id}',
      summary: 'Change a subscription\'s URL, events, description, or turn it off and on (administrators)',
      params: IdParams,
      body: ChangeBody,
      response: { status: 200, description: 'the subscription as changed', schema: SubscriptionView },
      errors: [404],
    },
    async ({ params, body, principal }) => {
      const sub = await loadSubscription(models, params.id);
      await models.WebhookSubscription.updateOne({ _id: sub._id }, { $set: body });
      await audit(models, principal, 'webhook.change', sub, { ...body });
      return view(await loadSubscription(models, sub._id));
    },
  );

  api.add(
    {
      ...common,
      method: 'post',
      path: '/api/v1/webhooks/{id}/secret',
      summary: 'Rotate a subscription\'s signing secret (administrators): deliveries from now on, retries included, are signed with the new one, shown once',
      params: IdParams,
      response: { status: 200, description: 'the subscription and its new secret', schema: WithSecret },
      errors: [404],
    },
    async ({ params, principal }) => {
      const sub = await loadSubscription(models, params.id);
      const secret = newSecret();
      await models.WebhookSubscription.updateOne({ _id: sub._id }, { $set: { secret, secretRotatedAt: new Date() } });
      await audit(models, principal, 'webhook.rotate', sub, {});
      return { subscription: view(await loadSubscription(models, sub._id)), secret };
    },
  );

  api.add(
    {
      ...common,
      method: 'delete',
      path: '/api/v1/webhooks/{id}',
      summary: 'Delete a subscription (administrators): nothing more is delivered to it, pending retries included',
      params: IdParams,
      response: { status: 200, description: 'the subscription as it was', schema: SubscriptionView },
      errors: [404],
    },
    async ({ params, principal }) => {
      const sub = await loadSubscription(models, params.id);
      await models.Org.updateOne({ _id: sub.orgId }, { $pull: { webhookSubscriptionIds: sub._id } });
      await models.WebhookSubscription.deleteOne({ _id: sub._id });
      await audit(models, principal, 'webhook.delete', sub, { url: sub.url });
      return view(sub);
    },
  );
}

/** The OpenAPI `webhooks` section: one entry per event kind, all with the same payload and headers. */
export function webhookEventDocs(): WebhookDoc[] {
  const headers = [
    { name: WEBHOOK_HEADERS.id, description: 'the delivery\'s ID (also `id` in the body), the same on every retry' },
    { name: WEBHOOK_HEADERS.timestamp, description: 'when this attempt was sent, Unix seconds; refuse one far from your clock (replays)' },
    { name: WEBHOOK_HEADERS.signature, description: '`v1=` and the hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the subscription\'s secret (docs/webhooks.md)' },
  ];
  return Object.entries(WEBHOOK_EVENTS).map(([name, what]) => ({
    name,
    summary: what,
    description: `POSTed to every active subscription of the organisation that takes \`${name}\` (see /api/v1/webhooks).`,
    headers,
    payload: WebhookPayload,
  }));
}
