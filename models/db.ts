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
