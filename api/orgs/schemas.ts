/** Request and response shapes of organisations (and the ID and paging shapes people share). */
import { z } from 'zod';
import { ORG_CATEGORIES, ORG_KINDS } from '../../models/org.js';
import { Page, PageQuery } from '../http/schemas.js';

/** IDs appear in workflow IDs (`rectification:<orgId>:…`) and URLs: no colons, slashes or spaces. */
export const RecordId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, "-" and "_" only, starting with a letter or digit, at most 64 characters');

/** The shared paging parameters, for queries that are otherwise strict objects. */
export const Paging = PageQuery.shape;

export const OrgKind = z.enum(ORG_KINDS);
export const OrgCategory = z.enum(ORG_CATEGORIES);

export const OrgListQuery = z.strictObject({
  kind: OrgKind.optional(),
  parentId: RecordId.optional().describe('only the direct children of this organisation'),
  subtreeOf: RecordId.optional().describe('only this organisation and everything below it'),
  ...Paging,
});

export const OrgIdParams = z.object({ id: RecordId });

export const CreateOrgBody = z.strictObject({
  id: RecordId.optional().describe('readable stable ID; generated from `name` and `kind` when absent'),
  kind: OrgKind,
  category: OrgCategory.default('other'),
  name: z.string().trim().min(1).max(200),
  nameZh: z.string().trim().min(1).max(200),
  parentId: RecordId.nullable().describe('the parent organisation; null only for a root party committee'),
});
export type CreateOrgBody = z.infer<typeof CreateOrgBody>;

export const OrgOut = z.object({
  id: z.string(),
  kind: OrgKind,
  category: OrgCategory,
  name: z.string(),
  nameZh: z.string(),
  parentId: z.string().nullable(),
  path: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type OrgOut = z.infer<typeof OrgOut>;

export const OrgList = Page(OrgOut);
