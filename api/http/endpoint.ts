/**
 * One declaration per endpoint serves three purposes: the express route, the zod
 * parsing of params/query/body (handlers get the *parsed* values), and the OpenAPI
 * operation. Nothing about an endpoint is written twice.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { ApiError, forbidden, invalidInput } from './errors.js';
import { withDirectoryScope } from '../../models/directory.js';
import { idempotencyRecordId, requestFingerprint, type IdempotencyStore } from './idempotency.js';
import { checkInputDates } from './dates.js';
import type { DateRange } from '../../domain/date-input.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Principal {
  sub: string;
  role: 'admin' | 'caseOfficer' | 'supervisor' | 'unit' | 'leader';
  orgId: string;
  personId?: string;
}

export interface EndpointSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Full OpenAPI-style path, e.g. `/api/v1/tasks/{id}`. */
  path: string;
  summary: string;
  tag: string;
  /** `public` endpoints take no token; every other endpoint needs a valid bearer JWT. */
  access: 'public' | 'authenticated';
  /**
   * Roles that may call it at all (checked right after authentication, before any
   * input is read, so a caller without the role gets 403 whatever it sent). Finer
   * rules — which organisations a caller may touch — stay in the handler.
   */
  roles?: Principal['role'][];
  params?: P;
  query?: Q;
  body?: B;
  /** `contentType` other than JSON: the handler sends the body itself through `res`. */
  response: { status: number; description: string; schema: R; contentType?: string };
  /**
   * Honour an `Idempotency-Key` header (api/http/idempotency.ts): a repeat of the same
   * request by the same caller gets the first successful answer again, with no second
   * effect; the key with another request is 422, a repeat while the first runs 409.
   */
  idempotent?: boolean;
  /** Error statuses this endpoint documents besides 400/401/500. */
  errors?: number[];
}

export interface EndpointInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** Present on every non-public endpoint. */
  principal: Principal;
  req: Request;
  res: Response;
}

type Handler<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> = (
  input: EndpointInput<P, Q, B>,
) => Promise<z.input<R>> | z.input<R>;

export interface Operation {
  spec: EndpointSpec;
}

export type Authenticate = (req: Request) => Principal | Promise<Principal>;

export class Endpoints {
  readonly router = express.Router();
  readonly operations: Operation[] = [];

  constructor(
    private readonly authenticate: Authenticate,
    private readonly idempotency?: IdempotencyStore,
    /** The range input dates must lie in (api/http/dates.ts); without it dates are not bounded. */
    private readonly dateRange?: () => Promise<DateRange>,
  ) {}

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    spec: EndpointSpec<P, Q, B, R>,
    handler: Handler<P, Q, B, R>,
  ): void {
    this.operations.push({ spec: spec });
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    this.router[spec.method](expressPath, async (req, res, next) => {
      const began = performance.now();
      try {
        const principal = spec.access === 'public' ? (undefined as unknown as Principal) : await this.authenticate(req);
        // The body is read only now, after authentication: an unauthenticated caller gets its
        // 401 without the API reading (or failing to parse) what it sent.
        if (spec.body) await readJsonBody(req, res);
        if (spec.roles && !spec.roles.includes(principal.role)) throw forbidden(`this needs one of the roles: ${spec.roles.join(', ')}`);
        const params = parsePart(spec.params, req.params, 'path parameters');
        const query = parsePart(spec.query, req.query, 'query');
        const body = parsePart(spec.body, req.body ?? {}, 'body');
        // One view of the organisation tree and the policies for the whole request, its date check
        // included (models/directory.ts).
        await withDirectoryScope(async () => {
          if (this.dateRange) {
            await checkInputDates(this.dateRange, [
              { where: 'path', schema: spec.params, value: params },
              { where: 'query', schema: spec.query, value: query },
              { where: 'body', schema: spec.body, value: body },
            ]);
          }
          // Claimed only once the request is valid: a refused request leaves no trace in the store.
          const keyed = spec.idempotent && this.idempotency ? await claimKey(this.idempotency, req, principal) : undefined;
          if (keyed?.claim.kind === 'answered') {
            res.setHeader('Idempotent-Replayed', 'true');
            res.status(keyed.claim.answer.status).json(keyed.claim.answer.body);
            return;
          }
          let result: unknown;
          try {
            result = await handler({ params, query, body, principal, req, res });
          } catch (err) {
            // A failed first attempt gives the key back: the client's retry runs again.
            if (keyed) await keyed.store.release(keyed.key, keyed.claim.token).catch((releaseErr: unknown) => console.error('idempotency: could not release a claim', releaseErr));
            throw err;
          }
          if (keyed) {
            // The effect is made: the answer is sent even if it cannot be kept (the claim then expires).
            const answer = { status: spec.response.status, body: JSON.parse(JSON.stringify(result ?? null)) as unknown };
            await keyed.store.complete(keyed.key, keyed.claim.token, answer).catch((saveErr: unknown) => console.error('idempotency: could not keep an answer', saveErr));
          }
          if (!res.headersSent) {
            // How long the API took to have the answer ready (beside what a read waited for the index).
            const timing = res.getHeader('Server-Timing');
            res.setHeader('Server-Timing', [...(timing ? [String(timing)] : []), `app;dur=${(performance.now() - began).toFixed(1)}`].join(', '));
            res.status(spec.response.status).json(result);
          }
        });
      } catch (err) {
        next(err);
      }
    });
  }
}

const jsonBody = express.json({ limit: '1mb' });

function readJsonBody(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    jsonBody(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error('the request body could not be read')) : resolve()));
  });
}

/** The request's Idempotency-Key claimed in the store (api/http/idempotency.ts), or undefined without a key. */
async function claimKey(store: IdempotencyStore, req: Request, principal: Principal | undefined) {
  const header = req.header('idempotency-key');
  if (header === undefined) return undefined;
  if (header.length === 0 || header.length > 200) throw new ApiError('invalid_input', 'Idempotency-Key must be 1 to 200 characters');
  const key = idempotencyRecordId(principal, header);
  const claim = await store.claim(key, requestFingerprint(req.method, req.baseUrl + req.path, req.body));
  return { store, key, claim };
}

/** Parses one part of the request; a part without a schema is passed as undefined. */
function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(where, result.error.issues);
  return result.data;
}

export { ApiError };
