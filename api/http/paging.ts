/** One page of a collection and the total that matches, in the shape every list answers. */
import type { Model } from 'mongoose';

export interface PageRequest {
  limit: number;
  offset: number;
}

export async function findPage<Doc, View>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model: the caller names the lean document type
  model: Model<any>,
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  page: PageRequest,
  toView: (doc: Doc) => View,
): Promise<{ items: View[]; total: number; limit: number; offset: number }> {
  const [docs, total] = await Promise.all([
    model.find(filter).sort(sort).skip(page.offset).limit(page.limit).lean<Doc[]>(),
    model.countDocuments(filter),
  ]);
  return { items: docs.map(toView), total, limit: page.limit, offset: page.offset };
}
