/**
 * Documents and signed endorsements written for an interview (Art. 12): the text a step
 * produces becomes a stored, versioned document; the endorsement signs the version that is
 * current when the leader signs, recording its SHA-256. Keyed IDs make retries harmless.
 */
import type { Models } from '../models/index.js';
import type { DocumentKind } from '../models/document.js';
import type { Person } from '../models/person.js';
import { createDocument, getDocument, signDocument, DocumentNotFoundError } from '../documents/service.js';

export interface SaveProcessDocumentInput {
  documentId: string;
  title: string;
  kind: DocumentKind;
  orgId: string;
  orgPath: string[];
  processId: string;
  content: string;
  createdBy: string;
  at: string;
}

export interface SavedDocument {
  documentId: string;
  version: number;
  sha256: string;
}

export async function saveProcessDocument(models: Models, input: SaveProcessDocumentInput): Promise<SavedDocument> {
  const doc = await createDocument(models, {
    id: input.documentId,
    title: input.title,
    kind: input.kind,
    orgId: input.orgId,
    orgPath: input.orgPath,
    processId: input.processId,
    content: input.content,
    createdBy: input.createdBy,
    at: new Date(input.at),
  });
  const first = doc.versions[0];
  return { documentId: doc._id, version: first?.version ?? 1, sha256: first?.sha256 ?? '' };
}

export interface SignProcessDocumentInput {
  signatureId: string;
  documentId: string;
  signerPersonId: string;
  /** The organisation in which the signer acts (his post there is recorded). */
  signerOrgId: string;
  opinion: string;
  at: string;
}

export interface SignedEndorsement {
  signatureId: string;
  documentId: string;
  version: number;
  sha256: string;
  signer: { personId: string; post: string; orgId: string; name: string };
  signedAt: string;
}

export async function signProcessDocument(models: Models, input: SignProcessDocumentInput): Promise<SignedEndorsement> {
  const doc = await getDocument(models, input.documentId);
  if (!doc) throw new DocumentNotFoundError(`document ${input.documentId} not found`);
  const person = await models.Person.findById(input.signerPersonId).lean<Person>();
  const post = person?.posts.find((p) => p.orgId === input.signerOrgId) ?? person?.posts[0];
  // The exact version current at signing; a write landing in between makes signDocument
  // refuse it (NotCurrentVersionError) and the retried activity signs the newer one.
  const { signature } = await signDocument(models, {
    signatureId: input.signatureId,
    documentId: doc._id,
    version: doc.currentVersion,
    signer: { personId: input.signerPersonId, post: post?.post ?? 'delegate', orgId: input.signerOrgId, name: person?.name ?? input.signerPersonId },
    opinion: input.opinion,
    at: new Date(input.at),
  });
  return {
    signatureId: signature.signatureId,
    documentId: signature.documentId,
    version: signature.version,
    sha256: signature.sha256,
    signer: { personId: signature.signer.personId, post: signature.signer.post, orgId: signature.signer.orgId, name: signature.signer.name },
    signedAt: new Date(signature.signedAt).toISOString(),
  };
}
