/**
 * Documents and signed endorsements (签字背书, Art. 11(3), 12(1)). The rules of versioning
 * and signing live in documents/service.ts (shared with activities); this file adds who
 * may do what, the HTTP shapes and the audit entries.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { conflict, forbidden, notFound, unprocessable } from '../http/errors.js';
import { keyedId } from '../http/idempotency.js';
import { canRead, loadOrg } from '../auth/access.js';
import { appendAuditEntry } from '../../activities/audit.js';
import { DOCUMENT_KINDS, type DocumentRecord } from '../../models/document.js';
import type { SignatureRecord } from '../../models/signature.js';
import type { Person } from '../../models/person.js';
import type { Models } from '../../models/index.js';
import { actorOf } from '../auth/tokens.js';
import {
  addVersion,
  ContentIntegrityError,
  createDocument,
  DocumentNotFoundError,
  getDocument,
  IdConflictError,
  listSignatures,
  NotCurrentVersionError,
  signatureStatus,
  signDocument,
  StaleVersionError,
  VersionNotFoundError,
} from '../../documents/service.js';

const MAX_CONTENT = 200_000;

const IdParams = z.object({ id: z.string().min(1).max(200) });

const CreateDocumentBody = z.object({
  title: z.string().trim().min(1).max(500),
  kind: z.enum(DOCUMENT_KINDS),
  /** Defaults to the caller's own organisation (the only one a non-admin may name). */
  orgId: z.string().min(1).optional(),
  processId: z.string().min(1).max(300).optional(),
  content: z.string().min(1).max(MAX_CONTENT),
});

const NewVersionBody = z.object({
  content: z.string().min(1).max(MAX_CONTENT),
  /** The version the edit was made on; a newer current version answers 409. */
  baseVersion: z.number().int().min(1),
});

const SignBody = z.object({
  version: z.number().int().min(1),
  opinion: z.string().trim().min(1).max(10_000),
  /** Makes a retried signature idempotent; the Idempotency-Key header does the same. */
  signatureId: z.string().min(1).max(200).optional(),
});

const DocumentVersionView = z.object({
  version: z.number().int(),
  content: z.string(),
  sha256: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});

const DocumentView = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  orgId: z.string(),
  orgPath: z.array(z.string()),
  processId: z.string().optional(),
  currentVersion: z.number().int(),
  versions: z.array(DocumentVersionView),
});

const SignatureStatusView = z.object({
  signedVersion: z.number().int(),
  currentVersion: z.number().int(),
  matchesSignedVersion: z.boolean().describe('the stored content of the signed version is unchanged since signing'),
  matchesCurrent: z.boolean().describe('the current version is exactly what was signed'),
});

const SignatureView = z.object({
  signatureId: z.string(),
  documentId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  signer: z.object({ personId: z.string(), post: z.string(), orgId: z.string(), name: z.string() }),
  opinion: z.string(),
  signedAt: z.string(),
  status: SignatureStatusView,
});

function documentView(doc: DocumentRecord): z.input<typeof DocumentView> {
  return {
    id: doc._id,
    title: doc.title,
    kind: doc.kind,
    orgId: doc.orgId,
    orgPath: [...doc.orgPath],
    ...(doc.processId ? { processId: doc.processId } : {}),
    currentVersion: doc.currentVersion,
    versions: doc.versions.map((v) => ({
      version: v.version,
      content: v.content,
      sha256: v.sha256,
      createdAt: new Date(v.createdAt).toISOString(),
      createdBy: v.createdBy,
    })),
  };
}

function signatureView(doc: DocumentRecord, sig: SignatureRecord): z.input<typeof SignatureView> {
  return {
    signatureId: sig.signatureId,
    documentId: sig.documentId,
    version: sig.version,
    sha256: sig.sha256,
    signer: { personId: sig.signer.personId, post: sig.signer.post, orgId: sig.signer.orgId, name: sig.signer.name },
    opinion: sig.opinion,
    signedAt: new Date(sig.signedAt).toISOString(),
    status: signatureStatus(doc, sig),
  };
}

/** A document the principal may read, or 404 (its existence is not revealed outside the scope). */
async function readableDocument(models: Models, principal: Principal, id: string): Promise<DocumentRecord> {
  const doc = await getDocument(models, id);
  if (!doc || !(await canRead(models, principal, { _id: doc.orgId, path: doc.orgPath }))) throw notFound('document');
  return doc;
}

function toApiError(err: unknown): unknown {
  if (err instanceof DocumentNotFoundError) return notFound('document');
  if (err instanceof StaleVersionError) return conflict(err.message, { currentVersion: err.currentVersion });
  if (err instanceof NotCurrentVersionError) return conflict(err.message, { currentVersion: err.currentVersion });
  if (err instanceof VersionNotFoundError) return unprocessable(err.message);
  if (err instanceof IdConflictError) return conflict(err.message);
  if (err instanceof ContentIntegrityError) return conflict(err.message);
  return err;
}

async function audit(
  models: Models,
  principal: Principal,
  entryId: string,
  action: string,
  doc: DocumentRecord,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAuditEntry(models, {
    entryId,
    at: new Date().toISOString(),
    actor: { kind: 'user', ...actorOf(principal) },
    action,
    target: { kind: 'document', id: doc._id },
    orgId: doc.orgId,
    orgPath: [...doc.orgPath],
    outcome: 'ok',
    details,
  });
}

export function documentEndpoints(api: Endpoints, deps: AppDeps): void {
  const { models } = deps;

  api.add(
    {
      method: 'post',
      path: '/api/v1/documents',
      summary: 'Create a document (version 1) for the caller\'s own organisation',
      tag: 'documents',
      access: 'authenticated',
      body: CreateDocumentBody,
      response: { status: 201, description: 'the document', schema: DocumentView },
      idempotent: true,
      errors: [403, 409, 422],
    },
    async ({ body, principal, req }) => {
      const orgId = body.orgId ?? principal.orgId;
      if (principal.role !== 'admin' && orgId !== principal.orgId) throw forbidden('a document is created for the account\'s own organisation');
      const org = await loadOrg(models, orgId);
      if (!org) {
        if (principal.role === 'admin') throw unprocessable(`organisation ${orgId} does not exist`);
        throw forbidden('the account\'s organisation does not exist');
      }
      const id = keyedId('doc', principal, req.header('idempotency-key')) ?? randomUUID();
      const doc = await createDocument(models, {
        id,
        title: body.title,
        kind: body.kind,
        orgId,
        orgPath: [...org.path],
        ...(body.processId ? { processId: body.processId } : {}),
        content: body.content,
        createdBy: principal.sub,
      }).catch((err: unknown) => {
        throw toApiError(err);
      });
      await audit(models, principal, `document.create:${doc._id}`, 'document.create', doc, { version: 1, sha256: doc.versions[0]?.sha256 });
      return documentView(doc);
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/documents/{id}',
      summary: 'Read a document with every version',
      tag: 'documents',
      access: 'authenticated',
      params: IdParams,
      response: { status: 200, description: 'the document', schema: DocumentView },
      errors: [404],
    },
    async ({ params, principal }) => documentView(await readableDocument(models, principal, params.id)),
  );

  api.add(
    {
      method: 'put',
      path: '/api/v1/documents/{id}',
      summary: 'Write a new version on top of baseVersion (signed versions are never rewritten)',
      tag: 'documents',
      access: 'authenticated',
      params: IdParams,
      body: NewVersionBody,
      response: { status: 200, description: 'the document with the new version current', schema: DocumentView },
      errors: [403, 404, 409],
    },
    async ({ params, body, principal }) => {
      const doc = await readableDocument(models, principal, params.id);
      if (principal.role !== 'admin' && principal.orgId !== doc.orgId) throw forbidden('only the owning organisation\'s accounts edit a document');
      const updated = await addVersion(models, { documentId: doc._id, baseVersion: body.baseVersion, content: body.content, createdBy: principal.sub }).catch(
        (err: unknown) => {
          throw toApiError(err);
        },
      );
      const version = body.baseVersion + 1;
      const written = updated.versions.find((v) => v.version === version);
      await audit(models, principal, `document.version:${doc._id}:${version}`, 'document.version', updated, { version, sha256: written?.sha256 });
      return documentView(updated);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/documents/{id}/signatures',
      summary: 'Sign and endorse (签字背书) the current version with an opinion',
      tag: 'documents',
      access: 'authenticated',
      roles: ['leader', 'supervisor', 'caseOfficer'],
      params: IdParams,
      body: SignBody,
      response: { status: 201, description: 'the signature, with its status', schema: SignatureView },
      idempotent: true,
      errors: [403, 404, 409, 422],
    },
    async ({ params, body, principal, req }) => {
      if (!principal.personId) throw forbidden('signing needs an account that acts for a person (personId claim)');
      const doc = await readableDocument(models, principal, params.id);
      const person = await models.Person.findById(principal.personId).lean<Person>();
      const post = person?.posts.find((p) => p.orgId === principal.orgId);
      if (!person || !post) throw forbidden('the signer holds no post in the account\'s organisation');

      const signatureId = body.signatureId ?? keyedId('sig', principal, req.header('idempotency-key')) ?? randomUUID();
      const { signature } = await signDocument(models, {
        signatureId,
        documentId: doc._id,
        version: body.version,
        signer: { personId: person._id, post: post.post, orgId: principal.orgId, name: person.name },
        opinion: body.opinion,
      }).catch((err: unknown) => {
        throw toApiError(err);
      });
      const current = await readableDocument(models, principal, doc._id);
      await audit(models, principal, `document.sign:${signature.signatureId}`, 'document.sign', current, {
        signatureId: signature.signatureId,
        version: signature.version,
        sha256: signature.sha256,
      });
      return signatureView(current, signature);
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/documents/{id}/signatures',
      summary: 'Every signature, each saying whether the document still matches what was signed',
      tag: 'documents',
      access: 'authenticated',
      params: IdParams,
      response: { status: 200, description: 'the signatures, oldest first', schema: z.object({ items: z.array(SignatureView) }) },
      errors: [404],
    },
    async ({ params, principal }) => {
      const doc = await readableDocument(models, principal, params.id);
      const signatures = await listSignatures(models, doc._id);
      return { items: signatures.map((sig) => signatureView(doc, sig)) };
    },
  );
}

