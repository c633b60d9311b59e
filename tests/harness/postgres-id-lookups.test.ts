/**
 * FerretDB 1.24 on PostgreSQL (the run command's default store): an `_id` lookup is served by
 * an index, on a collection made after the server started and on one whose index went missing.
 * Without the index FerretDB's `_jsonb->'_id' @> …` reads the whole table on every lookup and
 * on the read of every update (scripts/lib/postgres-ferretdb.ts; docs/decisions.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { postgresAvailable, startPostgresFerretDb, type PostgresFerretDb } from '../../scripts/lib/postgres-ferretdb.js';

const ROWS = 3_000;
const LOOKUPS = 100;

describe.skipIf(!postgresAvailable())('FerretDB on PostgreSQL: _id lookups use an index', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-id-lookups-'));
  let server: PostgresFerretDb | undefined;

  const start = async () => (server = await startPostgresFerretDb(dir, { persistent: true }));
  /** The scans of the table behind `rows` (PostgreSQL's own counters; flushed as the session ends). */
  const scans = (s: PostgresFerretDb) => {
    const [seq, idx] = s.sql(`SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE schemaname = 'lookups' AND relname LIKE 'rows%'`).trim().split('|').map(Number);
    return { seq: seq as number, idx: idx as number };
  };
  /** `LOOKUPS` lookups and updates by `_id`; the table's scans they made, once PostgreSQL has counted them all. */
  async function lookUp(s: PostgresFerretDb): Promise<{ seq: number; idx: number }> {
    const client = await MongoClient.connect(s.uri);
    try {
      const rows = client.db('lookups').collection<{ _id: string; n: number; seen?: boolean }>('rows');
      if ((await rows.estimatedDocumentCount()) === 0) await rows.insertMany(Array.from({ length: ROWS }, (_, n) => ({ _id: `row-${n}`, n })));
      await settle();
      const before = scans(s);
      for (let i = 0; i < LOOKUPS; i += 1) {
        const n = (i * 37) % ROWS;
        expect((await rows.findOne({ _id: `row-${n}` }))?.n).toBe(n);
        await rows.updateOne({ _id: `row-${n}` }, { $set: { seen: true } });
      }
      // Each of FerretDB's connections reports its counters a second or more after its work.
      let after = scans(s);
      for (let waited = 0; after.seq + after.idx - before.seq - before.idx < 2 * LOOKUPS && waited < 20_000; waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = scans(s);
      }
      await settle();
      after = scans(s);
      return { seq: after.seq - before.seq, idx: after.idx - before.idx };
    } finally {
      await client.close();
    }
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

  beforeAll(start, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a collection is made and looked up by _id, then no lookup or update reads the whole table', async () => {
    const s = server as PostgresFerretDb;
    const counted = await lookUp(s);
    // Without the index every lookup and every update's read is a table scan (2 × LOOKUPS); the
    // counters of the collection's creation and loading may come in late, hence "a few".
    expect(counted.seq).toBeLessThan(LOOKUPS / 20);
    expect(counted.idx).toBeGreaterThanOrEqual(2 * LOOKUPS);
    // The statement FerretDB sends for `findOne({ _id })`, as PostgreSQL plans it.
    const table = s.sql(`SELECT tablename FROM pg_tables WHERE schemaname = 'lookups' AND tablename LIKE 'rows%'`).trim();
    const plan = s.sql(`EXPLAIN SELECT _jsonb FROM lookups."${table}" WHERE _jsonb->'_id' @> '"row-7"'`);
    expect(plan).toMatch(/Index Scan on rows_\w+_id_lookup/);
    expect(plan).not.toMatch(/Seq Scan/);
    // The rows just written are in the index itself, not in a pending list every lookup reads
    // through until a vacuum (GIN's fastupdate: 39 ms a lookup after 100,000 fresh rows).
    const index = s.sql(`SELECT indexname FROM pg_indexes WHERE schemaname = 'lookups' AND indexname LIKE 'rows%_id_lookup'`).trim();
    expect(s.sql(`SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = '${index}'`)).toContain('fastupdate=off');
    const pending = s.sql(`CREATE EXTENSION IF NOT EXISTS pgstattuple; SELECT pending_tuples FROM pgstatginindex('lookups."${index}"')`).trim();
    expect(Number(pending)).toBe(0);
  });

  it('when the index of an existing table is gone and the server starts again, then it is made again', async () => {
    const s = server as PostgresFerretDb;
    const name = s.sql(`SELECT indexname FROM pg_indexes WHERE schemaname = 'lookups' AND indexname LIKE 'rows%_id_lookup'`).trim();
    expect(name).toMatch(/^rows_.*_id_lookup$/);
    s.sql(`DROP INDEX lookups."${name}"`);
    await s.stop();
    const again = await start();
    expect(again.sql(`SELECT count(*) FROM pg_indexes WHERE schemaname = 'lookups' AND indexname = '${name}'`).trim()).toBe('1');
    expect((await lookUp(again)).seq).toBeLessThan(LOOKUPS / 20);
  }, 60_000);
});
