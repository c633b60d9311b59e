/**
 * Documents and signed endorsements (签字背书, Art. 11(3), 12(1)), used by the API and by
 * activities alike. Every write is idempotent, so an activity retried after a timeout,
 * or a repeated request, has one effect:
 * - a document is created under a caller-chosen ID;
 * - a version is appended only on top of the `baseVersion` the writer saw (optimistic
 *   concurrency in one single-document update, no transaction needed);
 * - a signature is recorded under a caller-chosen `signatureId`.
 * Errors are typed classes (not HTTP errors) so the API maps them to statuses and
 * workflows can name them in `nonRetryableErrorTypes`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../models/db.js';
import type { Models } from '../models/index.js';
import type { DocumentKind, DocumentRecord } from '../models/document.js';
import type { SignatureRecord } from '../models/signature.js';

export class DocumentNotFoundError extends Error {
  override readonly name = 'DocumentNotFoundError';
}
/** The writer's `baseVersion` is no longer the current one: someone else wrote first. */
export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
  constructor(readonly currentVersion: number) {
    super(`the document is at version ${currentVersion}`);
  }
}
/** A signature names a version that was never written. */
export class VersionNotFoundError extends Error {
  override readonly name = 'VersionNotFoundError';
}
/** A signature names an existing version that is not the current one. */
export class NotCurrentVersionError extends Error {
  override readonly name = 'NotCurrentVersionError';
  constructor(readonly currentVersion: number) {
    super(`only the current version (${currentVersion}) can be signed`);
  }
}
/** An ID (document or signature) already names something different. */
export class IdConflictError extends Error {
  override readonly name = 'IdConflictError';
}
/** The stored content of a version no longer matches the hash recorded when it was written. */
export class ContentIntegrityError extends Error {
  override readonly name = 'ContentIntegrityError';
}

export function sha256Hex(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

export interface CreateDocumentInput {
  /** Caller-chosen for idempotency (e.g. derived from a workflow ID and step); random if absent. */
  id?: string;
  title: string;
  kind: DocumentKind;
  orgId: string;
  orgPath: string[];
  processId?: string;
  content: string;
  createdBy: string;
  at?: Date;
}

export async function createDocument(models: Models, input: CreateDocumentInput): Promise<DocumentRecord> {
  const id = input.id ?? randomUUID();
  const sha256 = sha256Hex(input.content);
  const record = {
    title: input.title,
    kind: input.kind,
    orgId: input.orgId,
    orgPath: input.orgPath,
    ...(input.processId ? { processId: input.processId } : {}),
    versions: [{ version: 1, content: input.content, sha256, createdAt: input.at ?? new Date(), createdBy: input.createdBy }],
    currentVersion: 1,
  };
  // Insert-if-absent in one step: a repeat finds the first one instead of a duplicate-key error.
  const res = await upsertOnce(() => models.Document.updateOne({ _id: id }, { $setOnInsert: record }, { upsert: true }));
  const stored = await getDocument(models, id);
  if (!stored) throw new DocumentNotFoundError(`document ${id} not found`);
  if (res.upsertedCount === 0) {
    const first = stored.versions[0];
    const same = stored.orgId === input.orgId && stored.title === input.title && stored.kind === input.kind && first?.sha256 === sha256;
    if (!same) throw new IdConflictError(`document ${id} already exists with other content`);
  }
  return stored;
}

export async function getDocument(models: Models, id: string): Promise<DocumentRecord | null> {
  return models.Document.findById(id).lean<DocumentRecord>();
}

export interface AddVersionInput {
  documentId: string;
  baseVersion: number;
  content: string;
  createdBy: string;
  at?: Date;
}

/** Appends version `baseVersion + 1`; signed versions are never touched. */
export async function addVersion(models: Models, input: AddVersionInput): Promise<DocumentRecord> {
  const version = input.baseVersion + 1;
  const sha256 = sha256Hex(input.content);
  const entry = { version, content: input.content, sha256, createdAt: input.at ?? new Date(), createdBy: input.createdBy };
  const res = await models.Document.updateOne(
    { _id: input.documentId, currentVersion: input.baseVersion },
    { $push: { versions: entry }, $set: { currentVersion: version } },
  );
  const stored = await getDocument(models, input.documentId);
  if (!stored) throw new DocumentNotFoundError(`document ${input.documentId} not found`);
  if (res.modifiedCount === 1) return stored;
  // A retry of a write that already landed finds its own version there: same answer, no second version.
  const landed = stored.versions.find((v) => v.version === version);
  if (landed && landed.sha256 === sha256 && landed.createdBy === input.createdBy) return stored;
  throw new StaleVersionError(stored.currentVersion);
}

export interface Signer {
  personId: string;
  post: string;
  orgId: string;
  name: string;
}

export interface SignDocumentInput {
  signatureId: string;
  documentId: string;
  version: number;
  signer: Signer;
  opinion: string;
  at?: Date;
}

export interface SignResult {
  signature: SignatureRecord;
  /** False when the signatureId had already been used for this same signature. */
  created: boolean;
}

export async function signDocument(models: Models, input: SignDocumentInput): Promise<SignResult> {
  const previous = await models.Signature.findOne({ signatureId: input.signatureId }).lean<SignatureRecord>();
  if (previous) return { signature: sameSignatureOrThrow(previous, input), created: false };

  const doc = await getDocument(models, input.documentId);
  if (!doc) throw new DocumentNotFoundError(`document ${input.documentId} not found`);
  const signed = doc.versions.find((v) => v.version === input.version);
  if (!signed) throw new VersionNotFoundError(`document ${doc._id} has no version ${input.version}`);
  if (input.version !== doc.currentVersion) throw new NotCurrentVersionError(doc.currentVersion);
  // The signer signs the content as it is now; if that no longer matches its recorded hash, the store was altered.
  const sha256 = sha256Hex(signed.content);
  if (sha256 !== signed.sha256) throw new ContentIntegrityError(`the stored content of version ${input.version} does not match its recorded hash`);

  const record = {
    signatureId: input.signatureId,
    documentId: doc._id,
    version: input.version,
    sha256,
    signer: input.signer,
    opinion: input.opinion,
    signedAt: input.at ?? new Date(),
  };
  const res = await upsertOnce(() => models.Signature.updateOne({ signatureId: input.signatureId }, { $setOnInsert: record }, { upsert: true }));
  const stored = await models.Signature.findOne({ signatureId: input.signatureId }).lean<SignatureRecord>();
  if (!stored) throw new Error(`signature ${input.signatureId} vanished after writing`);
  if (res.upsertedCount === 0) return { signature: sameSignatureOrThrow(stored, input), created: false };
  return { signature: stored, created: true };
}

function sameSignatureOrThrow(existing: SignatureRecord, input: SignDocumentInput): SignatureRecord {
  const same =
    existing.documentId === input.documentId &&
    existing.version === input.version &&
    existing.signer.personId === input.signer.personId &&
    existing.opinion === input.opinion;
  if (!same) throw new IdConflictError(`signature ${input.signatureId} already records a different signature`);
  return existing;
}

export async function listSignatures(models: Models, documentId: string): Promise<SignatureRecord[]> {
  return models.Signature.find({ documentId }).sort({ signedAt: 1, signatureId: 1 }).lean<SignatureRecord[]>();
}

export interface SignatureStatus {
  signedVersion: number;
  currentVersion: number;
  /** The stored content of the signed version still hashes to what was signed (no tampering). */
  matchesSignedVersion: boolean;
  /** The current version's content is exactly what was signed. */
  matchesCurrent: boolean;
}

/**
 * Recomputes hashes from the stored content rather than trusting the stored hashes: an
 * edit of the database that rewrites a version's content (and even its recorded hash)
 * then still shows as a mismatch.
 */
export function signatureStatus(doc: Pick<DocumentRecord, 'versions' | 'currentVersion'>, sig: Pick<SignatureRecord, 'version' | 'sha256'>): SignatureStatus {
  const signed = doc.versions.find((v) => v.version === sig.version);
  const current = doc.versions.find((v) => v.version === doc.currentVersion);
  return {
    signedVersion: sig.version,
    currentVersion: doc.currentVersion,
    matchesSignedVersion: signed !== undefined && sha256Hex(signed.content) === sig.sha256,
    matchesCurrent: current !== undefined && sha256Hex(current.content) === sig.sha256,
  };
}

/**
 * An insert-if-absent that a concurrent twin may win: the loser's upsert fails with a duplicate
 * key (the unique index), and the record it lost to is there, so it counts as found, not made.
 */
async function upsertOnce(write: () => PromiseLike<{ upsertedCount: number }>): Promise<{ upsertedCount: number }> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateKey(err)) return { upsertedCount: 0 };
    throw err;
  }
}
