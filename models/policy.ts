import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { CATALOGUE } from '../domain/obligations/catalogue.js';
import { PolicyEntry } from '../domain/obligations/policy-entry.js';
import { PROCESS_POLICIES, PROCESS_POLICY_CODES, isProcessPolicyCode, type ProcessPolicyCode, type ProcessPolicyEntry } from '../domain/process-policies.js';
import type { Models } from './index.js';
import { isDuplicateKey } from './db.js';
import { directory, trackDirectoryWrites, type StoredPolicy } from './directory.js';

/**
 * Versioned policy: one document per (code, version), never changed once written. The
 * codes are the obligation catalogue's and the event-driven processes' (PROCESS-…, see
 * domain/process-policies.ts); each code's `entry` has its own schema. An edit adds version N+1, so a period opened under version N can keep reading
 * it; the unique index turns two concurrent edits of the same base version into one
 * success and one duplicate-key failure (no transaction needed).
 */
export const policySchema = new Schema(
  {
    code: { type: String, required: true },
    version: { type: Number, required: true },
    entry: { type: Schema.Types.Mixed, required: true },
    effectiveFrom: { type: Date, required: true },
    createdBy: { type: String, required: true },
    note: { type: String },
  },
  { collection: 'policies', versionKey: false, minimize: false, timestamps: { createdAt: true, updatedAt: false } },
);
policySchema.index({ code: 1, version: 1 }, { unique: true });
// Every process holds the policy versions in memory (models/directory.ts).
trackDirectoryWrites(policySchema);

export type PolicyDoc = InferSchemaType<typeof policySchema>;

export function policyModel(conn: Connection) {
  return conn.model('Policy', policySchema);
}

/** An obligation entry or a process entry; which one follows from the code. */
export type AnyPolicyEntry = PolicyEntry | ProcessPolicyEntry;

export interface PolicyVersion<E extends AnyPolicyEntry = PolicyEntry> {
  code: string;
  version: number;
  effectiveFrom: string;
  createdBy: string;
  note?: string;
  entry: E;
}

/** Parses an entry with the schema its code calls for. */
export function parsePolicyEntry(code: string, entry: unknown): AnyPolicyEntry {
  return isProcessPolicyCode(code) ? PROCESS_POLICIES[code].schema.parse(entry) : PolicyEntry.parse(entry);
}

/** Obligation readers get obligation entries only; a process code here is a programming error. */
function obligationOnly(version: PolicyVersion<AnyPolicyEntry> | null): PolicyVersion | null {
  if (version && isProcessPolicyCode(version.code)) throw new Error(`${version.code} is a process policy: read it with currentProcessPolicy`);
  return version as PolicyVersion | null;
}

/** Version 1 takes effect at the Rules' date of issue, so every period the service can run has one. */
export const SEED_EFFECTIVE_FROM = '2015-04-15T16:00:00.000Z'; // 2015-04-16 00:00 Asia/Shanghai
export const SEED_AUTHOR = 'system:seed';


/** Stored entries are parsed on the way out, so a malformed document is a loud error, not a wrong deadline. */
function toVersion(doc: StoredPolicy): PolicyVersion<AnyPolicyEntry> {
  return {
    code: doc.code,
    version: doc.version,
    effectiveFrom: doc.effectiveFrom.toISOString(),
    createdBy: doc.createdBy,
    ...(doc.note ? { note: doc.note } : {}),
    entry: parsePolicyEntry(doc.code, doc.entry),
  };
}

/** Version 1 of every code: the catalogue's rows, then each process's default. */
const SEEDS: ReadonlyArray<{ entry: AnyPolicyEntry; source: string }> = [
  ...CATALOGUE.map((entry) => ({ entry, source: 'domain/obligations/catalogue.ts' })),
  ...PROCESS_POLICY_CODES.map((code) => ({ entry: PROCESS_POLICIES[code].default, source: 'domain/process-policies.ts' })),
];

/**
 * Inserts version 1 of every catalogue entry and process policy that has none. Idempotent and safe to run
 * at every start, also from several processes at once; it never overwrites an entry, so
 * a later change to the catalogue file reaches a running system only through an edit.
 */
export async function seedPolicies(models: Models): Promise<{ inserted: string[] }> {
  const inserted: string[] = [];
  for (const { entry, source } of SEEDS) {
    try {
      const result = await models.Policy.updateOne(
        { code: entry.code, version: 1 },
        {
          $setOnInsert: {
            code: entry.code,
            version: 1,
            entry,
            effectiveFrom: new Date(SEED_EFFECTIVE_FROM),
            createdBy: SEED_AUTHOR,
            note: `seeded from ${source}`,
          },
        },
        { upsert: true },
      );
      if (result.upsertedCount > 0) inserted.push(entry.code);
    } catch (err) {
      // Another process seeded the same entry between our match and insert.
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return { inserted };
}

/** The highest version of any code (obligation or process), or null when the code is unknown. */
export async function currentPolicyVersion(models: Models, code: string): Promise<PolicyVersion<AnyPolicyEntry> | null> {
  const doc = (await directory(models)).policyVersions(code).at(-1);
  return doc ? toVersion(doc) : null;
}

/** One version of any code (obligation or process), or null. */
export async function policyVersionAt(models: Models, code: string, version: number): Promise<PolicyVersion<AnyPolicyEntry> | null> {
  const doc = (await directory(models)).policyVersions(code).find((v) => v.version === version);
  return doc ? toVersion(doc) : null;
}

/** The highest version of an obligation code, or null when the code is unknown. */
export async function currentPolicy(models: Models, code: string): Promise<PolicyVersion | null> {
  return obligationOnly(await currentPolicyVersion(models, code));
}

export async function policyAt(models: Models, code: string, version: number): Promise<PolicyVersion | null> {
  return obligationOnly(await policyVersionAt(models, code, version));
}

/** The highest version of a process policy, typed by its code. */
export async function currentProcessPolicy<C extends ProcessPolicyCode>(
  models: Models,
  code: C,
): Promise<PolicyVersion<Extract<ProcessPolicyEntry, { code: C }>> | null> {
  return (await currentPolicyVersion(models, code)) as PolicyVersion<Extract<ProcessPolicyEntry, { code: C }>> | null;
}

/**
 * The current version of a process policy, for starting a process: a database nobody
 * seeded yet is seeded first (seeding is idempotent and never overwrites an edit).
 */
export async function processPolicyForStart<C extends ProcessPolicyCode>(
  models: Models,
  code: C,
): Promise<PolicyVersion<Extract<ProcessPolicyEntry, { code: C }>>> {
  const policy = (await currentProcessPolicy(models, code)) ?? (await seedPolicies(models), await currentProcessPolicy(models, code));
  if (!policy) throw new Error(`policy ${code} is missing`);
  return policy;
}

/** Every version of the code, oldest first. */
export async function policyVersions(models: Models, code: string): Promise<PolicyVersion<AnyPolicyEntry>[]> {
  return (await directory(models)).policyVersions(code).map(toVersion);
}

/** The current version of every code, in catalogue order, then the process policies (any other code after, by code). */
export async function currentPolicies(models: Models): Promise<PolicyVersion<AnyPolicyEntry>[]> {
  const held = await directory(models);
  const latest = held.policyCodes().map((code) => held.policyVersions(code).at(-1) as StoredPolicy);
  const order = new Map(SEEDS.map(({ entry }, index) => [entry.code, index]));
  return latest
    .sort((a, b) => (order.get(a.code) ?? Infinity) - (order.get(b.code) ?? Infinity) || a.code.localeCompare(b.code))
    .map(toVersion);
}

export class StaleVersionError extends Error {
  constructor(
    readonly code: string,
    readonly currentVersion: number,
  ) {
    super(`policy ${code} is at version ${currentVersion}`);
    this.name = 'StaleVersionError';
  }
}

/**
 * Writes version baseVersion+1 of the code. Throws StaleVersionError when baseVersion is
 * not the current version (also when a concurrent edit won the race); returns null when
 * the code is unknown.
 */
export async function addPolicyVersion(
  models: Models,
  input: { code: string; baseVersion: number; entry: AnyPolicyEntry; createdBy: string; note?: string; at: Date },
): Promise<PolicyVersion<AnyPolicyEntry> | null> {
  const current = await currentPolicyVersion(models, input.code);
  if (!current) return null;
  // The code decides the shape: an obligation code never takes a process entry, nor the reverse.
  const entry = parsePolicyEntry(input.code, input.entry);
  if (current.version !== input.baseVersion) throw new StaleVersionError(input.code, current.version);
  const version = current.version + 1;
  try {
    await models.Policy.create({
      code: input.code,
      version,
      entry,
      effectiveFrom: input.at,
      createdBy: input.createdBy,
      ...(input.note ? { note: input.note } : {}),
    });
  } catch (err) {
    if (isDuplicateKey(err)) {
      const winner = await currentPolicyVersion(models, input.code);
      throw new StaleVersionError(input.code, winner?.version ?? version);
    }
    throw err;
  }
  return { code: input.code, version, effectiveFrom: input.at.toISOString(), createdBy: input.createdBy, ...(input.note ? { note: input.note } : {}), entry };
}
