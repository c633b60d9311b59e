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
    const port = options.port ?? (await freePort());
    ferret = spawnService(
      'ferretdb',
      tools.ferretdb,
      ['-listen-addr', `127.0.0.1:${port}`, '-handler', 'postgresql', '-postgresql-url', `postgres://postgres@127.0.0.1:${pgPort}/postgres`, '-log-level', 'error'],
      { output: options.output ?? 'ignore' },
    );
    await waitForPort(port, ferret);
    return { name: 'ferretdb (postgresql)', child: ferret.child, uri: `mongodb://127.0.0.1:${port}/`, pgVersion: version, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
