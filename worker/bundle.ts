/**
 * The workflow bundle: every workflow and what it imports, packed by the SDK's bundler
 * (webpack) into one script that the worker's sandbox runs. The worker entry bundles at
 * start unless `WORKFLOW_BUNDLE` names a prebuilt one (`npm run build:workflows`, as the
 * SDK's production sample does): a prebuilt bundle starts faster and keeps webpack's
 * memory out of the worker process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Where `npm run build:workflows` writes the bundle by default (git-ignored build output). */
export const defaultBundlePath = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));

export interface BuiltBundle {
  path: string;
  bytes: number;
}

export interface BuildOptions {
  /** Another entry than workflows/index.ts (tests). */
  entry?: string;
  /** Leave out webpack's report (benchmarks, tests). */
  quiet?: boolean;
}

/** Bundles the workflows and writes the code to `outFile`. */
export async function buildWorkflowBundle(outFile: string = defaultBundlePath, { entry = workflowsPath, quiet = false }: BuildOptions = {}): Promise<BuiltBundle> {
  const { code } = await bundleWorkflowCode({ workflowsPath: entry, ...(quiet ? { logger: new DefaultLogger('WARN') } : {}) });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return { path: outFile, bytes: Buffer.byteLength(code) };
}
