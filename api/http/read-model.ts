/**
 * How an endpoint reads the API's in-memory process index (read-model/process-index.ts):
 * caught up with every change written before the request, unless that wait ran past its
 * bound; such an answer says so in `X-Read-Model-Behind: true`, so a client can ask again.
 */
import type { Response } from 'express';
import type { ProcessIndex } from '../../read-model/process-index.js';

export const BEHIND_HEADER = 'X-Read-Model-Behind';

/**
 * The index, caught up (or marked behind). How long the request waited for it is in
 * `Server-Timing` (`index;dur=<ms>`), so a slow answer tells whether it waited for the change
 * log or spent its time elsewhere (bench:core reports it).
 */
export async function currentIndex(index: ProcessIndex, res: Response): Promise<ProcessIndex> {
  const started = performance.now();
  await index.current();
  res.setHeader('Server-Timing', `index;dur=${(performance.now() - started).toFixed(1)};desc="waiting for the process index"`);
  if (index.isBehind()) res.setHeader(BEHIND_HEADER, 'true');
  return index;
}
