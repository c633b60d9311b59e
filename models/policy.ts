import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { CATALOGUE } from '../domain/obligations/catalogue.js';
import { PolicyEntry } from '../domain/obligations/policy-entry.js';
import type { Models } from './index.js';

/**
 * Versioned obligation policy: one document per (code, version), never changed once
 * written. An edit adds version N+1, so a period opened under version N can keep reading
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

export type PolicyDoc = InferSchemaType<typeof policySchema>;

export function policyModel(conn: Connection) {
  return conn.model('Policy', policySchema);
}

export interface PolicyVersion {
  code: string;
  version: number;
  effectiveFrom: string;
  createdBy: string;
  note?: string;
  entry: PolicyEntry;
}

/** Version 1 takes effect at the Rules' date of issue, so every period the service can run has one. */
export const SEED_EFFECTIVE_FROM = '2015-04-15T16:00:00.000Z'; // 2015-04-16 00:00 Asia/Shanghai
export const SEED_AUTHOR = 'system:seed';

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

/** Stored entries are parsed on the way out, so a malformed document is a loud error, not a wrong deadline. */
function toVersion(doc: PolicyDoc): PolicyVersion {
  return {
    code: doc.code,
    version: doc.version,
    effectiveFrom: doc.effectiveFrom.toISOString(),
    createdBy: doc.createdBy,
    ...(doc.note ? { note: doc.note } : {}),
    entry: PolicyEntry.parse(doc.entry),
  };
}

/**
 * Inserts version 1 of every catalogue entry that has none. Idempotent and safe to run
 * at every start, also from several processes at once; it never overwrites an entry, so
 * a later change to the catalogue file reaches a running system only through an edit.
 */
export async function seedPolicies(models: Models): Promise<{ inserted: string[] }> {
  const inserted: string[] = [];
  for (const entry of CATALOGUE) {
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
            note: 'seeded from domain/obligations/catalogue.ts',
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

/** The highest version of the code, or null when the code is unknown. */
export async function currentPolicy(models: Models, code: string): Promise<PolicyVersion | null> {
  const doc = await models.Policy.findOne({ code }).sort({ version: -1 }).lean<PolicyDoc>();
  return doc ? toVersion(doc) : null;
}

export async function policyAt(models: Models, code: string, version: number): Promise<PolicyVersion | null> {
  const doc = await models.Policy.findOne({ code, version }).lean<PolicyDoc>();
  return doc ? toVersion(doc) : null;
}

/** Every version of the code, oldest first. */
export async function policyVersions(models: Models, code: string): Promise<PolicyVersion[]> {
  const docs = await models.Policy.find({ code }).sort({ version: 1 }).lean<PolicyDoc[]>();
  return docs.map(toVersion);
}

/** The current version of every code, in catalogue order (codes not in the catalogue after, by code). */
export async function currentPolicies(models: Models): Promise<PolicyVersion[]> {
  // The catalogue is small (tens of codes, few versions each): reducing in memory avoids
  // $group/$first, which the test server may not support.
  const docs = await models.Policy.find({}).sort({ code: 1, version: -1 }).lean<PolicyDoc[]>();
  const latest = new Map<string, PolicyDoc>();
  for (const doc of docs) if (!latest.has(doc.code)) latest.set(doc.code, doc);
  const order = new Map(CATALOGUE.map((entry, index) => [entry.code, index]));
  return [...latest.values()]
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
  input: { code: string; baseVersion: number; entry: PolicyEntry; createdBy: string; note?: string; at: Date },
): Promise<PolicyVersion | null> {
  const current = await currentPolicy(models, input.code);
  if (!current) return null;
  if (current.version !== input.baseVersion) throw new StaleVersionError(input.code, current.version);
  const version = current.version + 1;
  try {
    await models.Policy.create({
      code: input.code,
      version,
      entry: input.entry,
      effectiveFrom: input.at,
      createdBy: input.createdBy,
      ...(input.note ? { note: input.note } : {}),
    });
  } catch (err) {
    if (isDuplicateKey(err)) {
      const winner = await currentPolicy(models, input.code);
      throw new StaleVersionError(input.code, winner?.version ?? version);
    }
    throw err;
  }
  return { code: input.code, version, effectiveFrom: input.at.toISOString(), createdBy: input.createdBy, ...(input.note ? { note: input.note } : {}), entry: input.entry };
}
