/**
 * Helpers shared by the benchmarks (scripts/bench-dashboard.ts, scripts/bench-core.ts):
 * percentiles, a bounded sequential measurement, and the machine and load lines every
 * recorded run states beside its figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { freePort, startFerretDb } from './services.js';
import { startPostgresFerretDb } from './postgres-ferretdb.js';

/** The filtered search both benchmarks request: Futang's running overdue processes, earliest due first. */
export const SEARCH_PATH = '/api/v1/processes?subtreeOf=futang-pc&status=running&overdue=true&sort=nextDueAt&order=asc&limit=50';

export interface Figures {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Figures of a set of durations (any order). */
export function figures(times: number[]): Figures {
  const sorted = [...times].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

/** Times `run` sequentially after one warm-up call, until `requests` samples or `budgetMs` have passed. */
export async function measure(requests: number, budgetMs: number, run: () => Promise<void>): Promise<Figures> {
  await run(); // warm-up: connections, JIT, server caches
  const times: number[] = [];
  const stopAt = Date.now() + budgetMs;
  while (times.length < requests && Date.now() < stopAt) {
    const began = performance.now();
    await run();
    times.push(performance.now() - began);
  }
  return figures(times);
}

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');

/** Other work on the machine shows in every figure: runs print the load beside them. */
export const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

export const machineLine = () =>
  `machine: ${cpus().length} CPU(s), ${cpus()[0]?.model ?? ''}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; node ${process.version}`;

export interface BenchDatabase {
  /** The MongoDB-protocol address with a fresh database name (the caller drops it when done). */
  uri: string;
  /** What serves it, for the printed run. */
  serverName: string;
  /** Stops the servers started here and removes their temp dirs (nothing for `--uri`). */
  stop(): Promise<void>;
}

/**
 * The MongoDB-protocol server a benchmark runs against: FerretDB on SQLite started here
 * (the run command's embedded default), FerretDB on a throwaway PostgreSQL cluster
 * (`backend: 'postgresql'`), or the server at `uri`; a fresh database `dbName` on it.
 */
export async function startBenchDatabase(options: { uri?: string | undefined; backend: string; dbName: string }): Promise<BenchDatabase> {
  if (options.backend !== 'sqlite' && options.backend !== 'postgresql') throw new Error('--backend must be sqlite or postgresql');
  let uri: URL;
  let serverName = 'FerretDB (SQLite) started here';
  let stop = (): Promise<void> => Promise.resolve();
  if (options.uri) {
    uri = new URL(options.uri);
    serverName = uri.host;
  } else if (options.backend === 'postgresql') {
    const postgres = await startPostgresFerretDb(mkdtempSync(path.join(tmpdir(), 'bench-postgres-')));
    uri = new URL(postgres.uri);
    serverName = `FerretDB (PostgreSQL ${postgres.pgVersion}) started here`;
    stop = () => postgres.stop();
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-ferretdb-'));
    try {
      const port = await freePort();
      const server = await startFerretDb({ port, dir: dataDir, output: 'ignore' });
      uri = new URL(`mongodb://127.0.0.1:${port}/`);
      stop = async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      };
    } catch (err) {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  uri.pathname = `/${options.dbName}`;
  return { uri: uri.toString(), serverName, stop };
}

/** What the server says it is (FerretDB reports a MongoDB version and its own). */
export async function serverVersion(conn: Connection): Promise<string> {
  const build = (await conn.db?.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string } | undefined;
  return `reports version ${build?.version ?? '?'}${build?.ferretdbVersion ? `, FerretDB ${build.ferretdbVersion}` : ''}`;
}
