/**
 * `npm run build:workflows [-- --out FILE]`: writes the prebuilt workflow bundle
 * (default dist/workflow-bundle.js, git-ignored). Start the worker with
 * WORKFLOW_BUNDLE=<that file> to use it; rebuild after every change of workflows/ or
 * of what they import.
 */
import path from 'node:path';
import { buildWorkflowBundle, defaultBundlePath } from '../worker/bundle.js';

const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 && process.argv[outIndex + 1] ? path.resolve(process.argv[outIndex + 1] as string) : defaultBundlePath;

buildWorkflowBundle(out)
  .then(({ path: file, bytes }) => console.log(`build:workflows: wrote ${file} (${(bytes / 1024).toFixed(0)} KB)`))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
