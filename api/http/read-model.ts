/**
 * How an endpoint reads the API's in-memory process index (read-model/process-index.ts):
 * caught up with every change written before the request, unless that wait ran past its
 * bound; such an answer says so in `X-Read-Model-Behind: true`, so a client can ask again.
 */
import type { Response } from 'express';
import type { ProcessIndex } from '../../read-model/process-index.js';

export const BEHIND_HEADER = 'X-Read-Model-Behind';

export async function currentIndex(index: ProcessIndex, res: Response): Promise<ProcessIndex> {
  await index.current();
  markIfBehind(index, res);
  return index;
}

/** For an endpoint that read the index through `current()` itself. */
export function markIfBehind(index: ProcessIndex, res: Response): void {
  if (index.isBehind()) res.setHeader(BEHIND_HEADER, 'true');
}
