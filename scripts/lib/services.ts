/**
 * Starting and stopping the local servers, shared by the run command (scripts/dev.ts)
 * and the test setup (tests/global-setup.ts), so both start them the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchAttributeDeclarations } from '../../workflows/search-attributes.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const tools = {
  temporal: path.join(repoRoot, '.tools/venv/bin/temporal'),
  temporalTestServer: path.join(repoRoot, '.tools/venv/bin/temporal-test-server'),
  ferretdb: path.join(repoRoot, '.tools/bin/ferretdb'),
};

export interface RunningService {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(500);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

export async function waitForPort(port: number, service: RunningService, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited with code ${service.child.exitCode} before listening on ${port}`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.name} did not listen on ${port} within ${timeoutMs} ms`);
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Where output goes: 'inherit' for the run command, 'ignore' or a prefix printer for tests. */
  output?: 'inherit' | 'ignore' | 'prefix';
}

export function spawnService(name: string, command: string, args: string[], options: SpawnOptions = {}): RunningService {
  const output = options.output ?? 'prefix';
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: output === 'inherit' ? 'inherit' : output === 'ignore' ? 'ignore' : ['ignore', 'pipe', 'pipe'],
  });
  if (output === 'prefix') {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      let pending = '';
      stream?.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
      });
    }
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface TemporalDevServerOptions {
  port: number;
  uiPort: number;
  /** SQLite file for durable data; omitted = in memory (tests). */
  dbFile?: string;
  output?: SpawnOptions['output'];
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningService> {
  requireTool(tools.temporal);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--ui-port', String(options.uiPort), '--log-level', 'error'];
  // The HTTP API and metrics ports default to fixed numbers that clash when two servers run side by side.
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const [name, type] of Object.entries(searchAttributeDeclarations)) args.push('--search-attribute', `${name}=${type}`);
  const service = spawnService('temporal', tools.temporal, args, { output: options.output ?? 'prefix' });
  await waitForPort(options.port, service);
  return service;
}

export interface FerretDbOptions {
  port: number;
  /** Directory for FerretDB's SQLite files. */
  dir: string;
  output?: SpawnOptions['output'];
}

export async function startFerretDb(options: FerretDbOptions): Promise<RunningService> {
  requireTool(tools.ferretdb);
  mkdirSync(options.dir, { recursive: true });
  const service = spawnService(
    'ferretdb',
    tools.ferretdb,
    ['-listen-addr', `127.0.0.1:${options.port}`, '-sqlite-url', `file:${path.resolve(options.dir)}/`, '-log-level', 'error'],
    { output: options.output ?? 'prefix' },
  );
  await waitForPort(options.port, service);
  return service;
}

export async function startMongod(options: FerretDbOptions): Promise<RunningService> {
  mkdirSync(options.dir, { recursive: true });
  const service = spawnService('mongod', 'mongod', ['--dbpath', path.resolve(options.dir), '--port', String(options.port), '--bind_ip', '127.0.0.1', '--quiet'], {
    output: options.output ?? 'prefix',
  });
  await waitForPort(options.port, service);
  return service;
}

function requireTool(file: string): void {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/bootstrap.sh first`);
}
