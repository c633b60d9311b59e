/**
 * The workflow bundle stays light: every cached workflow gets its own instances of the
 * bundle's modules, so a library in the bundle costs memory per open process. zod and
 * the form schemas stay out (the API validates payloads, docs/decisions.md "Workflow
 * memory"); the prebuilt bundle of `npm run build:workflows` is the same code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { FORM_NAMES } from '../../domain/form-names.js';
import { forms } from '../../domain/forms.js';

describe('the workflow bundle', () => {
  it('when the workflows are bundled, then no zod module and no form schema is in it, and its code stays under 1 MB', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tr-bundle-'));
    try {
      const built = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'), { quiet: true });
      const code = readFileSync(built.path, 'utf8');
      // Webpack names every module by its path; the inline source map is left out of the size.
      const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((m) => m[1] as string);
      expect(modules.length).toBeGreaterThan(10);
      expect(modules.filter((m) => m.includes('node_modules/zod'))).toEqual([]);
      expect(modules.filter((m) => /domain\/(forms|.*\/forms|escalation|step-policy-fields|accountability|process-policies)\.ts$/.test(m))).toEqual([]);
      const withoutSourceMap = code.slice(0, code.indexOf('//# sourceMappingURL='));
      expect(Buffer.byteLength(withoutSourceMap)).toBeLessThan(1_000_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('when the workflows check a form name, then their list names exactly the forms the API parses with', () => {
    expect([...FORM_NAMES].sort()).toEqual(Object.keys(forms).sort());
  });
});
