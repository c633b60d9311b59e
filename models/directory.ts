/**
 * The directory: every organisation, person and policy version, held in memory by each
 * process (API and worker) and checked against the database on every use with one `_id`
 * lookup.
 *
 * Why: starting a process asks a dozen questions of the organisation tree and the policy
 * (the target, the caller's own organisation, the upper-level DIC, the supervising DICs, the
 * principal leader, the policy in force). On FerretDB 1.24 each is a round trip and all but
 * the `_id` lookups read their whole collection. These records change rarely (an
 * administrator's edit, a policy version) and are few (hundreds of organisations, thousands
 * of people), so each process holds all of them and answers from memory.
 *
 * How it stays exact: every write to the three collections through mongoose (any process)
 * stores a new random token in one document (`directory_version`, `_id: "current"`), after
 * the write. A reader reads the token first and then, when it differs from the one its copy
 * was loaded under, reads the three collections again. A write that finished before a read
 * began has therefore changed the token the read sees, and the read reloads. Writes that
 * bypass mongoose (the raw driver) must call `directoryChanged` themselves.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Connection, Schema } from 'mongoose';
import type { Org } from './org.js';
import type { Person } from './person.js';

/** The models the directory reads (a subset of `Models`, so this module needs no import cycle). */
interface DirectoryModels {
  conn: Connection;
  Org: { find(filter: object): { lean<T>(): PromiseLike<T> } };
  Person: { find(filter: object): { lean<T>(): PromiseLike<T> } };
  Policy: { find(filter: object): { lean<T>(): PromiseLike<T> } };
}

/** A stored policy document, as the directory holds it (parsed by models/policy.ts on the way out). */
export interface StoredPolicy {
  code: string;
  version: number;
  entry: unknown;
  effectiveFrom: Date;
  createdBy: string;
  note?: string | null;
}

export interface DirectorySnapshot {
  org(id: string): Org | null;
  /** Organisations whose parent is `parentId`. */
  children(parentId: string): readonly Org[];
  /** People holding a post at the organisation. */
  peopleAt(orgId: string): readonly Person[];
  /** Every version of a policy code, oldest first (empty for an unknown code). */
  policyVersions(code: string): readonly StoredPolicy[];
  /** Every policy code there is. */
  policyCodes(): string[];
}

const TOKEN_COLLECTION = 'directory_version';
const TOKEN_ID = 'current';

interface Held {
  token: string | null;
  snapshot: DirectorySnapshot;
}

/** One copy per connection (a process may hold several databases, as the tests do). */
const held = new WeakMap<Connection, Held>();

/** A token read not yet sent, which calls made until it is sent share (a start asks several questions at once). */
const pendingRead = new WeakMap<Connection, Promise<string | null>>();

/**
 * The token as it is now. Calls in the same turn of the event loop share one lookup: it is
 * sent after all of them were made, so it sees every write that finished before any of them.
 */
function readToken(conn: Connection): Promise<string | null> {
  let read = pendingRead.get(conn);
  if (!read) {
    read = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      pendingRead.delete(conn); // later calls need a read sent after them
      const doc = await conn.collection<{ _id: string; token: string }>(TOKEN_COLLECTION).findOne({ _id: TOKEN_ID });
      return doc?.token ?? null;
    });
    pendingRead.set(conn, read);
  }
  return read;
}

/** Says that organisations, people or policies changed; mongoose writes call it by themselves. */
export async function directoryChanged(conn: Connection): Promise<void> {
  held.delete(conn);
  requestScope.getStore()?.delete(conn);
  await conn.collection<{ _id: string; token: string }>(TOKEN_COLLECTION).updateOne({ _id: TOKEN_ID }, { $set: { token: randomUUID() } }, { upsert: true });
}

/**
 * One request's view of the directory: the first question in a request reads the token, the
 * others reuse that answer (a start asks half a dozen questions one after another). A write
 * to the directory inside the request drops it, so the request then sees its own write.
 */
const requestScope = new AsyncLocalStorage<Map<Connection, Promise<DirectorySnapshot>>>();

/**
 * Runs `fn` (an API request) with one view of the directory for all its questions; inside a
 * scope already (the app opens one before authentication, which checks the token's person), it
 * keeps that one.
 */
export function withDirectoryScope<T>(fn: () => Promise<T>): Promise<T> {
  return requestScope.getStore() ? fn() : requestScope.run(new Map(), fn);
}

/** The directory as it is now: one `_id` lookup (once per request), and a full read only after a change. */
export function directory(models: DirectoryModels): Promise<DirectorySnapshot> {
  const scope = requestScope.getStore();
  if (!scope) return currentDirectory(models);
  let view = scope.get(models.conn);
  if (!view) {
    view = currentDirectory(models);
    scope.set(models.conn, view);
    view.catch(() => scope.delete(models.conn));
  }
  return view;
}

async function currentDirectory(models: DirectoryModels): Promise<DirectorySnapshot> {
  const token = await readToken(models.conn);
  const copy = held.get(models.conn);
  if (copy && copy.token === token) return copy.snapshot;
  // Callers that saw the same new token share one reload.
  let reload = reloading.get(models.conn);
  if (!reload || reload.token !== token) {
    reload = { token, snapshot: load(models) };
    reloading.set(models.conn, reload);
  }
  const current = reload;
  const snapshot = await current.snapshot.finally(() => {
    if (reloading.get(models.conn) === current) reloading.delete(models.conn);
  });
  held.set(models.conn, { token, snapshot });
  return snapshot;
}

const reloading = new WeakMap<Connection, { token: string | null; snapshot: Promise<DirectorySnapshot> }>();

async function load(models: DirectoryModels): Promise<DirectorySnapshot> {
  const [orgs, people, policies] = await Promise.all([
    models.Org.find({}).lean<Org[]>(),
    models.Person.find({}).lean<Person[]>(),
    models.Policy.find({}).lean<StoredPolicy[]>(),
  ]);
  return buildSnapshot(orgs, people, policies);
}

function buildSnapshot(orgs: Org[], people: Person[], policies: StoredPolicy[]): DirectorySnapshot {
  // Frozen: every caller shares these objects, so a caller that changed one would change it for all.
  const byId = new Map(orgs.map((o) => [o._id, deepFreeze(o)]));
  const children = groupBy(byId.values(), (o) => (o.parentId ? [o.parentId] : []));
  const peopleAt = groupBy(people.map(deepFreeze), (p) => p.orgIds ?? []);
  const versions = groupBy(policies.map(deepFreeze), (p) => [p.code]);
  for (const list of versions.values()) list.sort((a, b) => a.version - b.version);
  return {
    org: (id) => byId.get(id) ?? null,
    children: (parentId) => children.get(parentId) ?? [],
    peopleAt: (orgId) => peopleAt.get(orgId) ?? [],
    policyVersions: (code) => versions.get(code) ?? [],
    policyCodes: () => [...versions.keys()],
  };
}

function groupBy<T>(items: Iterable<T>, keys: (item: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keys(item))) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

/** Freezes plain objects and arrays, all the way down (an ObjectId or a Date is left as it is). */
function deepFreeze<T>(value: T): T {
  const plain = Array.isArray(value) || (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype);
  if (plain && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Every way mongoose writes a collection, so a schema's writes all say that the directory changed. */
const WRITE_HOOKS = [
  'save',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'bulkWrite',
] as const;

/** Registers the hooks that keep every process's directory exact (on the org, person and policy schemas). */
export function trackDirectoryWrites(schema: Schema): void {
  for (const hook of WRITE_HOOKS) {
    schema.post(hook as never, async function (this: unknown) {
      await directoryChanged(connectionOf(this));
    });
  }
}

/** The connection behind a hook's `this`: a query, a model (insertMany, bulkWrite) or a document (save). */
function connectionOf(self: unknown): Connection {
  const s = self as { model?: { db: Connection }; db?: Connection; constructor?: { db?: Connection } };
  const conn = s.model?.db ?? s.db ?? s.constructor?.db;
  if (!conn) throw new Error('directory: a write hook ran without a connection');
  return conn;
}
