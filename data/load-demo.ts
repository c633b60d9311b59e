/**
 * Loads the Yiwu demo tree into an empty database (the seed command, and the run
 * command on first start). Idempotent: with any organisation already present it does
 * nothing, so it never mixes into an administrator's own tree.
 */
import { pathFor } from '../domain/org-tree.js';
import type { Models } from '../models/index.js';
import { DEMO_ORGS, DEMO_PEOPLE, type DemoOrg } from './demo-yiwu.js';

export interface DemoLoadResult {
  created: boolean;
  orgs: number;
  people: number;
}

/** The demo orgs as stored documents, each with its materialised path. */
export function demoOrgDocuments(orgs: readonly DemoOrg[] = DEMO_ORGS) {
  const paths = new Map<string, string[]>();
  const pathOf = (org: DemoOrg): string[] => {
    const known = paths.get(org.id);
    if (known) return known;
    const parent = org.parentId === null ? null : orgs.find((o) => o.id === org.parentId);
    if (org.parentId !== null && !parent) throw new Error(`demo org ${org.id}: unknown parent ${org.parentId}`);
    const path = pathFor(parent ? { path: pathOf(parent) } : null, org.id);
    paths.set(org.id, path);
    return path;
  };
  return orgs.map(({ id, ...rest }) => ({ _id: id, ...rest, path: pathOf({ id, ...rest }) }));
}

export function demoPersonDocuments() {
  return DEMO_PEOPLE.map(({ id, name, posts }) => ({ _id: id, name, posts, orgIds: [...new Set(posts.map((p) => p.orgId))] }));
}

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;

export async function loadDemoData(models: Models): Promise<DemoLoadResult> {
  const none = { created: false, orgs: 0, people: 0 };
  if ((await models.Org.countDocuments({})) > 0) return none;
  const orgs = demoOrgDocuments();
  const people = demoPersonDocuments();
  // People first, then orgs in one batch: orgs are the "already loaded" mark, so a load
  // interrupted after the people is completed by the next run instead of skipped.
  const present = await models.Person.find({ _id: { $in: people.map((p) => p._id) } }, { _id: 1 }).lean<Array<{ _id: string }>>();
  const known = new Set(present.map((p) => p._id));
  const missing = people.filter((p) => !known.has(p._id));
  if (missing.length > 0) await models.Person.insertMany(missing, { ordered: true });
  try {
    await models.Org.insertMany(orgs, { ordered: true });
  } catch (err) {
    // Another loader won the race with the same data.
    if (isDuplicateKey(err)) return none;
    throw err;
  }
  return { created: true, orgs: orgs.length, people: people.length };
}
