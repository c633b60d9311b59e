/**
 * Idempotency-Key as the IETF draft (draft-ietf-httpapi-idempotency-key-header) has it. A key
 * belongs to one caller (account, role, organisation and person, so two leaders behind one
 * development account name never share one) and names one request: its fingerprint is the
 * method, the path and the body in canonical form.
 *
 * - First request with a key: the key is *claimed* by inserting a record under `_id`
 *   (caller + key). An insert of an existing `_id` fails atomically, on FerretDB as on
 *   MongoDB, so of any number of concurrent requests exactly one claims and runs.
 * - The claimant runs the handler and stores the answer under the claim; when the handler
 *   fails, the claim is released, so a retry runs again.
 * - A repeat with the same fingerprint gets the stored answer (`Idempotent-Replayed: true`),
 *   or 409 while the first is still running; with another fingerprint, 422.
 * - A claim whose process crashed before answering expires after CLAIM_TTL_MS and may then
 *   be taken over (the business keys behind every effect — workflow IDs, update IDs,
 *   document and signature IDs derived with `keyedId` — keep a late twin from acting twice).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Models } from '../../models/index.js';
import { isDuplicateKey } from '../../models/db.js';
import { ApiError } from './errors.js';
import type { Principal } from './endpoint.js';

/** How long a claim may stay unanswered before another request with the key may take it over. */
export const CLAIM_TTL_MS = 60_000;

export type StoredAnswer = { status: number; body: unknown };

export type Claim =
  /** This request holds the key: run, then `complete` or `release` with the token. */
  | { kind: 'claimed'; token: string }
  | { kind: 'answered'; answer: StoredAnswer };

/** Where claims and first answers to idempotent requests are kept. */
export interface IdempotencyStore {
  /** Claims `key` for a request with `fingerprint`; throws the 409 / 422 ApiErrors of the draft. */
  claim(key: string, fingerprint: string): Promise<Claim>;
  complete(key: string, token: string, answer: StoredAnswer): Promise<void>;
  release(key: string, token: string): Promise<void>;
}

interface Record_ {
  _id: string;
  fingerprint?: string;
  state?: 'running' | 'done';
  token?: string;
  expiresAt?: Date;
  status?: number;
  body?: unknown;
}

/** Who a key belongs to: every part of the principal that acts (not just `sub`). */
function callerOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  return [principal.sub, principal.role, principal.orgId, principal.personId ?? ''].join('\u0000');
}

/** The record's `_id`: the caller and the key, hashed so any key length and character is a plain string. */
export function idempotencyRecordId(principal: Principal | undefined, key: string): string {
  return createHash('sha256').update(`${callerOf(principal)}\u0000${key}`).digest('hex');
}

/**
 * An ID for a record a keyed request creates (a document, a signature, a task completion's
 * update), the same for every repeat by the same caller: a request whose first attempt
 * wrote the record but crashed before answering finds it again instead of writing a second.
 */
export function keyedId(prefix: string, principal: Principal, key: string | undefined): string | undefined {
  if (!key) return undefined;
  return `${prefix}-${idempotencyRecordId(principal, key).slice(0, 32)}`;
}

/** JSON with every object's keys in order, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

const reused = () =>
  new ApiError('idempotency_key_reused', 'this Idempotency-Key was used for another request (method, path or body differ); use a new key for a new request');
const inProgress = () =>
  new ApiError('idempotency_key_in_progress', 'a request with this Idempotency-Key is still being processed; repeat it in a moment to get its answer');

export function mongoIdempotencyStore(models: Models, now: () => number = Date.now): IdempotencyStore {
  const collection = models.IdempotentResponse;
  const insertClaim = async (key: string, fingerprint: string): Promise<string | null> => {
    const token = randomUUID();
    try {
      await collection.create({ _id: key, fingerprint, state: 'running', token, expiresAt: new Date(now() + CLAIM_TTL_MS), createdAt: new Date(now()) });
      return token;
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  };

  return {
    async claim(key, fingerprint) {
      // Two rounds at most: a claim found expired (or released meanwhile) is removed and inserted again.
      for (let round = 0; round < 2; round++) {
        const token = await insertClaim(key, fingerprint);
        if (token) return { kind: 'claimed', token };
        const held = await collection.findById(key).lean<Record_>();
        if (!held) continue; // released between our insert and our read
        if (held.fingerprint !== fingerprint) throw reused();
        if (held.state === 'done' && typeof held.status === 'number') return { kind: 'answered', answer: { status: held.status, body: held.body } };
        if (held.expiresAt && held.expiresAt.getTime() > now()) throw inProgress();
        // The claimant crashed: its claim goes, and this request races any other for a new one.
        await collection.deleteOne({ _id: key, token: held.token });
      }
      throw inProgress();
    },
    async complete(key, token, answer) {
      const held = await collection.findById(key).lean<Record_>();
      // A claim taken over after it expired belongs to the request that took it.
      if (held?.token !== token) return;
      await collection.updateOne({ _id: key }, { $set: { state: 'done', status: answer.status, body: answer.body }, $unset: { expiresAt: 1 } });
    },
    async release(key, token) {
      const held = await collection.findById(key).lean<Record_>();
      if (held?.token === token) await collection.deleteOne({ _id: key });
    },
  };
}
