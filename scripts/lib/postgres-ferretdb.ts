/**
 * FerretDB 1.24 on a PostgreSQL cluster: the run command's default MongoDB-protocol server
 * (a cluster kept under DATA_DIR; docs/decisions.md, "The core path") and the benchmarks'
 * `--backend postgresql` (a throwaway cluster). The tests stay on FerretDB/SQLite. Needs
 * Debian's `postgresql` package (scripts/bootstrap.sh installs it when missing); PostgreSQL
 * refuses to run as root, so under root the cluster belongs to the `postgres` user the
 * package creates.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort, spawnService, tools, waitForPort, type RunningService, type SpawnOptions } from './services.js';

/** FerretDB's process (`child`) and the cluster behind it; `stop` stops both. */
export interface PostgresFerretDb extends RunningService {
  /** The FerretDB MongoDB-protocol address. */
  uri: string;
  pgVersion: string;
  /** Runs SQL in the cluster's `postgres` database (where FerretDB keeps every database, one schema each); returns psql's unaligned output. */
  sql(statements: string): string;
}

export interface PostgresFerretDbOptions {
  /** Keep the cluster in `dir` across runs (the run command); otherwise it is removed on stop, and runs without fsync. */
  persistent?: boolean;
  /** FerretDB's port; a free one when omitted. */
  port?: number;
  output?: SpawnOptions['output'];
}

function pgBinDir(): { dir: string; version: string } | null {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  return version ? { dir: path.join(root, version, 'bin'), version } : null;
}

/** Whether PostgreSQL can be run here (installed, and under root its `postgres` user exists). */
export function postgresAvailable(): boolean {
  if (!pgBinDir()) return false;
  if (process.getuid?.() !== 0) return true;
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * An index that serves FerretDB's `_id` lookups, on every table FerretDB makes: those it has
 * made, and (an event trigger) those it makes later.
 *
 * Why: FerretDB 1.24 on PostgreSQL turns `{ _id: "x" }` into `_jsonb->'_id' @> '"x"'`, which
 * its own btree index on `_jsonb->'_id'` cannot serve, so every `_id` lookup, and the read of
 * every update, read the whole table (107 ms a lookup at 100,000 process summaries; the core
 * path's figures grew with the store, docs/benchmarks.md). A GIN index (`jsonb_path_ops`)
 * serves `@>`: 0.04 ms at that size. FerretDB's tables are in one schema per database and
 * hold one `jsonb` column, `_jsonb`.
 *
 * Without GIN's `fastupdate`: with it, new entries wait in a pending list that every lookup
 * reads through until a vacuum merges it, so a lookup cost more with every row written since
 * the last vacuum (39 ms at 100,000 fresh rows against 0.9 ms merged, measured here).
 */
const ID_LOOKUP_INDEXES = `
CREATE OR REPLACE FUNCTION ferretdb_id_lookup_index(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  name text := left((SELECT relname FROM pg_class WHERE oid = tbl), 50) || '_id_lookup';
  schema text := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl);
BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = '_jsonb' AND NOT attisdropped) THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb->''_id'') jsonb_path_ops) WITH (fastupdate = off)', name, tbl);
    -- One made before fastupdate was turned off: off now, and its pending list merged.
    EXECUTE format('ALTER INDEX %I.%I SET (fastupdate = off)', schema, name);
    PERFORM gin_clean_pending_list(format('%I.%I', schema, name)::regclass);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION ferretdb_id_lookup_index_on_create() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  made record;
BEGIN
  FOR made IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
    PERFORM ferretdb_id_lookup_index(made.objid::regclass);
  END LOOP;
END $$;

DO $$
DECLARE
  t record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'ferretdb_id_lookup_index') THEN
    CREATE EVENT TRIGGER ferretdb_id_lookup_index ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
      EXECUTE FUNCTION ferretdb_id_lookup_index_on_create();
  END IF;
  FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') LOOP
    PERFORM ferretdb_id_lookup_index(t.oid::regclass);
  END LOOP;
END $$;
`;

export async function startPostgresFerretDb(dir: string, options: PostgresFerretDbOptions = {}): Promise<PostgresFerretDb> {
  const found = pgBinDir();
  if (!found) throw new Error('PostgreSQL is not installed: apt-get update && apt-get install -y postgresql');
  const { dir: bin, version } = found;
  const asRoot = process.getuid?.() === 0;
  // Run a PostgreSQL binary as the cluster's owner (the package's `postgres` user under root).
  const pg = (tool: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { stdio: 'ignore' }) : execFileSync(path.join(bin, tool), args, { stdio: 'ignore' });
  mkdirSync(dir, { recursive: true });
  if (asRoot) {
    chmodSync(dir, 0o755);
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  const data = path.join(dir, 'data');
  if (!existsSync(path.join(data, 'PG_VERSION'))) pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', ...(options.persistent ? [] : ['--no-sync'])]);
  const pgPort = await freePort();
  // A throwaway cluster runs without fsync (faster seeding); a kept one keeps PostgreSQL's durability.
  const settings = `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1${options.persistent ? '' : ' -c fsync=off'}`;
  pg('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'postgres.log'), '-o', settings, 'start']);
  // Output and errors come back (unlike pg_ctl's: the server it starts would hold a pipe open).
  const sql = (statements: string): string => {
    const args = ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-At', '-c', statements];
    const psql = path.join(bin, 'psql');
    return execFileSync(asRoot ? 'runuser' : psql, asRoot ? ['-u', 'postgres', '--', psql, ...args] : args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  let ferret: RunningService | undefined;
  const stop = async () => {
    await ferret?.stop();
    try {
      pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      if (!options.persistent) rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    sql(ID_LOOKUP_INDEXES);
    const port = options.port ?? (await freePort());
    ferret = spawnService(
      'ferretdb',
      tools.ferretdb,
      ['-listen-addr', `127.0.0.1:${port}`, '-handler', 'postgresql', '-postgresql-url', `postgres://postgres@127.0.0.1:${pgPort}/postgres`, '-log-level', 'error'],
      { output: options.output ?? 'ignore' },
    );
    await waitForPort(port, ferret);
    return { name: 'ferretdb (postgresql)', child: ferret.child, uri: `mongodb://127.0.0.1:${port}/`, pgVersion: version, sql, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
