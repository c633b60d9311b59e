import mongoose, { type Connection } from 'mongoose';

/**
 * A dedicated connection (not mongoose's global one), so that tests and processes
 * can hold several databases side by side and close them cleanly.
 */
export async function connectDb(uri: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5_000,
    // Fail fast instead of buffering writes while the database is down: a request
    // then gets 503 and no half-applied change.
    bufferCommands: false,
  });
  await conn.asPromise();
  return conn;
}

/** True when the server answers a ping within `timeoutMs`. */
export async function pingDb(conn: Connection, timeoutMs = 1_500): Promise<boolean> {
  if (conn.readyState !== mongoose.ConnectionStates.connected || !conn.db) return false;
  try {
    await withTimeout(conn.db.admin().command({ ping: 1 }), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** MongoDB's duplicate-key error (E11000), as a unique index refuses a second document. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

/**
 * Inserts a document whose `_id` names it for good; a second insert of the same `_id` (a
 * retried activity whose first attempt did land, or a racing twin) is success, not an
 * error. Returns whether this call wrote it. Addressed by `_id` alone: the one filter
 * FerretDB 1.24 answers without reading the whole collection.
 */
export async function insertOnce(collection: { insertOne(doc: never): Promise<unknown> }, doc: { _id: string } & Record<string, unknown>): Promise<boolean> {
  // Fields left undefined are left out, as mongoose leaves them out of an update.
  const defined = Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== undefined));
  try {
    await collection.insertOne(defined as never);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Updates the record `_id` when `holds` says its current state allows it: a read and a write,
 * both addressed by `_id` alone. On FerretDB a conditional update (`{ _id, status: 'open' }`)
 * is not atomic anyway and reads every document of the collection to find the one; this is
 * two lookups at any size. The records written this way have one writer each (their owning
 * workflow's activities), so nothing races between the read and the write.
 */
export async function updateByIdWhen<T>(
  model: { findById(id: string): { lean<R>(): PromiseLike<R | null> }; updateOne(filter: { _id: string }, update: Record<string, unknown>): PromiseLike<unknown> },
  id: string,
  holds: (current: T | null) => boolean,
  update: Record<string, unknown>,
): Promise<boolean> {
  const current = await model.findById(id).lean<T>();
  if (!holds(current)) return false;
  await model.updateOne({ _id: id }, update);
  return true;
}

/**
 * An upsert by `_id` that two writers may race on (a period's record, written by its cycle
 * and by its own process): the loser of the insert gets a duplicate-key error, and the
 * record it lost to is there now, so its update is simply made again.
 */
export async function upsertById(
  model: { updateOne(filter: { _id: string }, update: Record<string, unknown>, options: { upsert: true }): PromiseLike<unknown> },
  id: string,
  update: Record<string, unknown>,
): Promise<void> {
  try {
    await model.updateOne({ _id: id }, update, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await model.updateOne({ _id: id }, update, { upsert: true });
  }
}
