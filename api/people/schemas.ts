/** Request and response shapes of people and their posts. */
import { z } from 'zod';
import { POSTS } from '../../models/person.js';
import { DateInput } from '../../domain/date-input.js';
import { Page } from '../http/schemas.js';
import { Paging, RecordId } from '../orgs/schemas.js';

export const PostName = z.enum(POSTS);

export const PersonListQuery = z.strictObject({
  orgId: RecordId.optional().describe('only people holding a post at this organisation'),
  post: PostName.optional().describe('only people holding this post (at `orgId` when given)'),
  ...Paging,
});

export const PersonIdParams = z.object({ id: RecordId });

const PostIn = z.strictObject({
  orgId: RecordId,
  post: PostName,
  title: z.string().trim().min(1).max(100).optional(),
  since: DateInput.optional(),
});

export const CreatePersonBody = z.strictObject({
  id: RecordId.optional().describe('stable ID; generated when absent'),
  name: z.string().trim().min(1).max(100),
  posts: z
    .array(PostIn)
    .max(50)
    .superRefine((posts, ctx) => {
      const seen = new Set<string>();
      posts.forEach((p, index) => {
        const key = `${p.orgId}\u0000${p.post}`;
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `post ${p.post} at ${p.orgId} is listed twice` });
        seen.add(key);
      });
    }),
});
export type CreatePersonBody = z.infer<typeof CreatePersonBody>;

export const PersonOut = z.object({
  id: z.string(),
  name: z.string(),
  posts: z.array(z.object({ orgId: z.string(), post: PostName, title: z.string().optional(), since: z.string().optional() })),
  orgIds: z.array(z.string()),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type PersonOut = z.infer<typeof PersonOut>;

export const PersonList = Page(PersonOut);
