/**
 * Organisation-tree questions, for activities and the API: which DIC is beside a PC, which
 * DIC is the upper level, who the principal leader is. Each takes the org's neighbourhood
 * (its ancestors and their children) from the directory each process holds in memory
 * (./directory.ts) and hands it to the pure rules of domain/org-tree.ts.
 */
import * as tree from '../domain/org-tree.js';
import type { Models } from './index.js';
import { directory } from './directory.js';
import type { Org } from './org.js';
import type { Person, Post } from './person.js';

/** The org, its ancestors and every child of those (where the DICs beside them sit). */
export async function orgNeighbourhood(models: Models, orgId: string): Promise<Org[]> {
  const held = await directory(models);
  const org = held.org(orgId);
  if (!org) return [];
  const ancestors = org.path.map((id) => held.org(id)).filter((o): o is Org => o !== null);
  return [...new Set([...ancestors, ...org.path.flatMap((id) => held.children(id))])];
}

/** An organisation by ID, or null. */
export async function findOrg(models: Models, orgId: string): Promise<Org | null> {
  return (await directory(models)).org(orgId);
}

/** The DIC child of a PC (null when the PC has none or does not exist). */
export async function dicOf(models: Models, pcId: string): Promise<Org | null> {
  const children = (await directory(models)).children(pcId).filter((o) => o.kind === 'dic');
  return tree.dicOf(children, pcId) ?? null;
}

/** The upper-level DIC of Art. 11(2): the DIC beside the PC above (for a DIC, above its own PC). */
export async function upperDicOf(models: Models, orgId: string): Promise<Org | null> {
  return tree.upperDicOf(await orgNeighbourhood(models, orgId), orgId) ?? null;
}

/** A PC's own DIC; for a unit or department, its PC's DIC; for a DIC, the upper DIC. */
export async function supervisingDicOf(models: Models, orgId: string): Promise<Org | null> {
  return tree.supervisingDicOf(await orgNeighbourhood(models, orgId), orgId) ?? null;
}

/** The person holding the post of principal leader (第一责任人) at the org, or null. */
export async function principalLeaderOf(models: Models, orgId: string): Promise<Person | null> {
  return holderOf(models, orgId, 'principalLeader');
}

/** The person holding a post at an org (e.g. `dicSecretary` at a DIC), or null. */
export async function holderOf(models: Models, orgId: string, post: Post): Promise<Person | null> {
  const people = (await directory(models)).peopleAt(orgId);
  return tree.holderOf([...people], orgId, post) ?? null;
}

/** Whether the person holds a post at the organisation (a token's or an account's person must). */
export async function holdsPostAt(models: Models, personId: string, orgId: string): Promise<boolean> {
  const person = (await directory(models)).peopleAt(orgId).find((p) => p._id === personId);
  return person?.posts.some((post) => post.orgId === orgId) ?? false;
}
