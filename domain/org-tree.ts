/**
 * Pure rules over the organisation tree (Art. 2): where an organisation may sit, its
 * materialised path, and which discipline inspection commission (DIC) watches whom.
 * Every function works on a plain list of nodes, so the same code answers from a
 * database read (models/org-queries.ts), from demo data or in a test.
 */
import type { OrgKind } from '../models/org.js';
import type { Post } from '../models/person.js';

export interface OrgNode {
  _id: string;
  kind: OrgKind;
  parentId?: string | null;
  /** Every ancestor's ID, root first, then the org's own. */
  path: string[];
  active?: boolean | null;
}

export function pathFor(parent: Pick<OrgNode, 'path'> | null, id: string): string[] {
  return [...(parent?.path ?? []), id];
}

/**
 * Why `kind` may not sit under `parent` (null = a root), or null when it may. A DIC sits
 * beside its PC as the PC's child, so it needs a PC parent and has no children of its
 * own; a root is a party committee (the top of a chain of command).
 */
export function placementProblem(kind: OrgKind, parent: Pick<OrgNode, 'kind'> | null): string | null {
  if (parent === null) return kind === 'pc' ? null : 'only a party committee (pc) can be a root; give a parentId';
  if (kind === 'dic' && parent.kind !== 'pc') return 'a discipline inspection commission must have a party committee as its parent';
  if (parent.kind === 'dic') return 'nothing sits under a discipline inspection commission; use its party committee as parent';
  return null;
}

/**
 * Which posts an organisation of each kind can hold. DIC posts belong to a DIC; the
 * leadership posts of a party committee (or a unit's / department's head) do not.
 */
export const POSTS_BY_KIND: Record<OrgKind, readonly Post[]> = {
  pc: ['principalLeader', 'teamMember', 'staff'],
  dic: ['dicSecretary', 'dicMember', 'caseOfficer', 'staff'],
  unit: ['principalLeader', 'teamMember', 'unitHead', 'staff'],
  orgDept: ['orgDeptHead', 'teamMember', 'staff'],
};

/** Posts that one person at a time holds in an organisation: the Rules name them singly. */
export const SINGLE_HOLDER_POSTS: readonly Post[] = ['principalLeader', 'dicSecretary', 'unitHead', 'orgDeptHead'];

/** A readable ID from an English name: "Futang Town" + pc → "futang-town-pc" (no doubled suffix); '' when nothing readable is left. */
export function slugId(name: string, suffix: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  if (!slug) return '';
  return slug === suffix || slug.endsWith(`-${suffix}`) ? slug : `${slug}-${suffix}`;
}

const isActive = (node: OrgNode) => node.active !== false;

/** The DIC beside a PC: its (active) DIC child; with several, the first by ID so the answer is stable. */
export function dicOf<T extends OrgNode>(nodes: readonly T[], pcId: string): T | undefined {
  return nodes
    .filter((n) => n.parentId === pcId && n.kind === 'dic' && isActive(n))
    .sort((a, b) => a._id.localeCompare(b._id))[0];
}

/** The nearest party committee strictly above `org` (walking its path upwards). */
export function nearestPcAbove<T extends OrgNode>(nodes: readonly T[], org: OrgNode): T | undefined {
  const byId = new Map(nodes.map((n) => [n._id, n]));
  for (const id of org.path.slice(0, -1).reverse()) {
    const ancestor = byId.get(id);
    if (ancestor?.kind === 'pc') return ancestor;
  }
  return undefined;
}

/**
 * The upper-level DIC (上级纪委) of Art. 11(2): the DIC beside the PC above. For a DIC the
 * level is that of its own PC, so a town DIC's upper DIC is the city DIC.
 */
export function upperDicOf<T extends OrgNode>(nodes: readonly T[], orgId: string): T | undefined {
  const org = nodes.find((n) => n._id === orgId);
  if (!org) return undefined;
  const level = org.kind === 'dic' ? nodes.find((n) => n._id === org.parentId) : org;
  if (!level) return undefined;
  const pcAbove = nearestPcAbove(nodes, level);
  return pcAbove ? dicOf(nodes, pcAbove._id) : undefined;
}

/**
 * The DIC that supervises an organisation: a PC's own DIC; a DIC's upper DIC; for a unit
 * or a department, the DIC beside the nearest PC above it.
 */
export function supervisingDicOf<T extends OrgNode>(nodes: readonly T[], orgId: string): T | undefined {
  const org = nodes.find((n) => n._id === orgId);
  if (!org) return undefined;
  if (org.kind === 'pc') return dicOf(nodes, org._id);
  return upperDicOf(nodes, orgId);
}

export interface PostHolder {
  _id: string;
  posts: ReadonlyArray<{ orgId: string; post: string }>;
}

/** The holder of a post at an organisation (first by ID, for a stable answer). */
export function holderOf<T extends PostHolder>(people: readonly T[], orgId: string, post: Post): T | undefined {
  return people
    .filter((p) => p.posts.some((x) => x.orgId === orgId && x.post === post))
    .sort((a, b) => a._id.localeCompare(b._id))[0];
}
