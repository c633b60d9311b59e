/**
 * The obligation catalogue and the process policies (PROCESS-…) as versioned policy:
 * everyone signed in reads them; admins edit them, each edit a new version (an old version is never changed, so a period opened under
 * it keeps its rules). Optimistic concurrency: an edit names the version it was made on.
 */
import { z } from 'zod';
import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { conflict, invalidInput, notFound } from '../http/errors.js';
import { appendAuditEntry } from '../../activities/audit.js';
import { PolicyCode, PolicyEntry, PolicyFields } from '../../domain/obligations/policy-entry.js';
import { PROCESS_POLICIES, PROCESS_POLICY_CODES, isProcessPolicyCode } from '../../domain/process-policies.js';
import { StaleVersionError, addPolicyVersion, currentPolicies, policyVersionAt, policyVersions } from '../../models/policy.js';
import { actorOf } from '../auth/tokens.js';

const PolicyVersionSchema = z.object({
  code: z.string(),
  version: z.number().int(),
  effectiveFrom: z.string().describe('when this version took effect (ISO instant)'),
  createdBy: z.string(),
  note: z.string().optional(),
  entry: z.union([PolicyEntry, ...PROCESS_POLICY_CODES.map((code) => PROCESS_POLICIES[code].schema)]).describe(
    'an obligation entry, or for a PROCESS-… code that process\'s policy',
  ),
});

const VersionSummary = PolicyVersionSchema.omit({ entry: true });

const CodeParams = z.object({ code: PolicyCode });
const VersionParams = z.object({ code: PolicyCode, version: z.coerce.number().int().min(1) });

/**
 * A full replacement of the editable fields, made on `baseVersion`. The fields sit beside
 * `baseVersion` for every code; which fields follows from the code (an obligation entry's,
 * or a process policy's), so they are checked in the handler once the code is known.
 */
const EditBody = z
  .looseObject({
    baseVersion: z.number().int().min(1).describe('the current version the edit was made on; another answers 409'),
    note: z.string().max(1000).optional().describe('why the policy changed, kept with the version'),
  })
  .describe('baseVersion, note, and every editable field of the entry (the entry without its code)');

function editedFields(code: string, fields: Record<string, unknown>) {
  const schema = isProcessPolicyCode(code) ? PROCESS_POLICIES[code].fields : PolicyFields;
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw invalidInput('body', parsed.error.issues);
  return parsed.data as Record<string, unknown>;
}

export function policyEndpoints(api: Endpoints, deps: AppDeps): void {
  const { models } = deps;

  api.add(
    {
      method: 'get',
      path: '/api/v1/policies',
      summary: 'The current version of every policy entry: the obligation catalogue in its order, then the process policies (PROCESS-…)',
      tag: 'policies',
      access: 'authenticated',
      response: { status: 200, description: 'current versions', schema: z.object({ items: z.array(PolicyVersionSchema) }) },
    },
    async () => ({ items: await currentPolicies(models) }),
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/policies/{code}',
      summary: 'The current version of one policy entry and the list of all its versions',
      tag: 'policies',
      access: 'authenticated',
      params: CodeParams,
      response: {
        status: 200,
        description: 'current version and history',
        schema: z.object({ current: PolicyVersionSchema, versions: z.array(VersionSummary) }),
      },
      errors: [404],
    },
    async ({ params }) => {
      const versions = await policyVersions(models, params.code);
      const current = versions.at(-1);
      if (!current) throw notFound(`policy ${params.code}`);
      return { current, versions: versions.map(({ entry: _entry, ...summary }) => summary) };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/policies/{code}/versions/{version}',
      summary: 'One version of a policy entry, as it was written',
      tag: 'policies',
      access: 'authenticated',
      params: VersionParams,
      response: { status: 200, description: 'the version', schema: PolicyVersionSchema },
      errors: [404],
    },
    async ({ params }) => {
      const found = await policyVersionAt(models, params.code, params.version);
      if (!found) throw notFound(`policy ${params.code} version ${params.version}`);
      return found;
    },
  );

  api.add(
    {
      method: 'put',
      path: '/api/v1/policies/{code}',
      summary: 'Edit a policy entry (admin): writes version N+1; periods already open keep theirs',
      tag: 'policies',
      access: 'authenticated',
      roles: ['admin'],
      params: CodeParams,
      body: EditBody,
      response: { status: 200, description: 'the new version', schema: PolicyVersionSchema },
      errors: [403, 404, 409],
    },
    async ({ params, body, principal }) => {
      const { baseVersion, note, ...rest } = body;
      const fields = editedFields(params.code, rest);
      const at = new Date();
      let created;
      try {
        created = await addPolicyVersion(models, {
          code: params.code,
          baseVersion,
          entry: { code: params.code, ...fields } as Parameters<typeof addPolicyVersion>[1]['entry'],
          createdBy: principal.sub,
          ...(note ? { note } : {}),
          at,
        });
      } catch (err) {
        if (err instanceof StaleVersionError) {
          throw conflict(`policy ${err.code} is at version ${err.currentVersion}, not ${baseVersion}`, {
            currentVersion: err.currentVersion,
          });
        }
        throw err;
      }
      if (!created) throw notFound(`policy ${params.code}`);
      await appendAuditEntry(models, {
        entryId: `policy:${created.code}:v${created.version}`,
        at: at.toISOString(),
        actor: { kind: 'user', ...actorOf(principal) },
        action: 'policy.edit',
        target: { kind: 'policy', id: created.code },
        outcome: 'ok',
        details: { version: created.version, baseVersion, ...(note ? { note } : {}) },
      });
      return created;
    },
  );
}
