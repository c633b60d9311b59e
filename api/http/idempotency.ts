import type { Models } from '../../models/index.js';
import type { IdempotencyStore } from './endpoint.js';
import { isDuplicateKey } from '../../models/db.js';

export function mongoIdempotencyStore(models: Models): IdempotencyStore {
  return {
    async find(key) {
      const hit = await models.IdempotentResponse.findById(key).lean<{ status: number; body: unknown }>();
      return hit ? { status: hit.status, body: hit.body } : null;
    },
    async save(key, answer) {
      // Two identical requests racing both reach here with the same answer (Temporal
      // deduplicated the effect); whichever insert loses the race keeps the first.
      try {
        await models.IdempotentResponse.updateOne(
          { _id: key },
          { $setOnInsert: { status: answer.status, body: answer.body, createdAt: new Date() } },
          { upsert: true },
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
  };
}
