/**
 * FerretDB 1.24 on a throwaway PostgreSQL cluster, for `bench:dashboard --backend postgresql`
 * only (docs/benchmarks.md): the tests and the run command stay on FerretDB/SQLite. Needs
 * Debian's `postgresql` package (`apt-get install -y postgresql`); PostgreSQL refuses to run
 * as root, so under root the cluster belongs to the `postgres` user the package creates.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort, spawnService, tools, waitForPort, type RunningService } from './services.js';

export interface PostgresFerretDb {
  /** The FerretDB MongoDB-protocol address. */
  uri: string;
  pgVersion: string;
  stop(): Promise<void>;
}

function pgBinDir(): { dir: string; version: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error('PostgreSQL is not installed: apt-get update && apt-get install -y postgresql');
  return { dir: path.join(root, version, 'bin'), version };
}

export async function startPostgresFerretDb(dir: string): Promise<PostgresFerretDb> {
  const { dir: bin, version } = pgBinDir();
  const asRoot = process.getuid?.() === 0;
  // Run a PostgreSQL binary as the cluster's owner (the package's `postgres` user under root).
  const pg = (tool: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { stdio: 'ignore' }) : execFileSync(path.join(bin, tool), args, { stdio: 'ignore' });
  mkdirSync(dir, { recursive: true });
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  const data = path.join(dir, 'data');
  pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const pgPort = await freePort();
  // fsync off: a throwaway cluster for read timings; it only makes the seeding faster.
  pg('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'postgres.log'), '-o', `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  let ferret: RunningService | undefined;
  const stop = async () => {
    await ferret?.stop();
    try {
      pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const port = await freePort();
    ferret = spawnService(
      'ferretdb',
      tools.ferretdb,
      ['-listen-addr', `127.0.0.1:${port}`, '-handler', 'postgresql', '-postgresql-url', `postgres://postgres@127.0.0.1:${pgPort}/postgres`, '-log-level', 'error'],
      { output: 'ignore' },
    );
    await waitForPort(port, ferret);
    return { uri: `mongodb://127.0.0.1:${port}/`, pgVersion: version, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
