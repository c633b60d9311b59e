/**
 * Every MongoDB operation the service relies on, run against the test server
 * (FerretDB by default), so a gap in the MongoDB-compatible server shows up here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Schema, type Connection, type Model } from 'mongoose';
import { testModels } from '../support/services.js';

interface Row {
  key: string;
  org: string;
  kind: string;
  status: 'open' | 'completed';
  overdue: boolean;
  due: Date;
  path: string[];
  version: number;
}

describe('mongo smoke: the operations the service relies on', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let Rows: Model<Row>;

  beforeAll(async () => {
    db = await testModels();
    const conn: Connection = db.models.conn;
    const schema = new Schema<Row>({
      key: { type: String, required: true, unique: true },
      org: String,
      kind: String,
      status: String,
      overdue: Boolean,
      due: Date,
      path: [String],
      version: Number,
    });
    schema.index({ org: 1, status: 1, due: 1 });
    Rows = conn.model<Row>('SmokeRow', schema);
    await Rows.createIndexes();
    const base = new Date('2027-01-01T00:00:00Z').getTime();
    await Rows.insertMany(
      Array.from({ length: 12 }, (_, i) => ({
        key: `k${i}`,
        org: `org${i % 3}`,
        kind: i % 2 ? 'rectification' : 'interview',
        status: i % 4 === 0 ? 'completed' : 'open',
        overdue: i % 3 === 0,
        due: new Date(base + i * 86_400_000),
        path: ['city', `org${i % 3}`],
        version: 1,
      })),
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('when a second document repeats a unique key, then the insert fails with duplicate-key code 11000', async () => {
    await expect(Rows.create({ key: 'k1', org: 'x', kind: 'x', status: 'open', overdue: false, due: new Date(), path: [], version: 1 })).rejects.toMatchObject({
      code: 11000,
    });
  });

  it('when a conditional update names a stale state, then it changes nothing; with the current state it changes one', async () => {
    const stale = await Rows.updateOne({ key: 'k0', status: 'open' }, { $set: { status: 'completed' } });
    expect(stale.modifiedCount).toBe(0);
    const fresh = await Rows.updateOne({ key: 'k1', status: 'open', version: 1 }, { $set: { status: 'completed' }, $inc: { version: 1 } });
    expect(fresh.modifiedCount).toBe(1);
    expect((await Rows.findOne({ key: 'k1' }).lean())?.version).toBe(2);
  });

  it('when an upsert with $setOnInsert runs twice, then one document exists with the first values', async () => {
    for (const org of ['first', 'second']) {
      await Rows.updateOne({ key: 'upserted' }, { $setOnInsert: { org, kind: 'x', status: 'open', overdue: false, due: new Date(), path: [], version: 1 } }, { upsert: true });
    }
    const rows = await Rows.find({ key: 'upserted' }).lean();
    expect(rows.map((r) => r.org)).toEqual(['first']);
  });

  it('when findOneAndUpdate returns the new document, then it carries the update', async () => {
    const updated = await Rows.findOneAndUpdate({ key: 'k2' }, { $set: { overdue: true } }, { new: true }).lean();
    expect(updated?.overdue).toBe(true);
  });

  // FerretDB 1.24 lacks $cond inside $group, so dashboards group by the overdue flag
  // as part of the key and add the rows up in code: this is that exact pipeline.
  it('when dashboards group open work by organisation, kind and overdue flag, then the counts are right', async () => {
    const groups = await Rows.aggregate<{ _id: { org: string; kind: string; overdue: boolean }; n: number }>([
      { $match: { status: 'open', key: { $regex: '^k' } } },
      { $group: { _id: { org: '$org', kind: '$kind', overdue: '$overdue' }, n: { $sum: 1 } } },
      { $sort: { '_id.org': 1, '_id.kind': 1 } },
    ]);
    const counted = new Map<string, number>();
    for (const g of groups) counted.set(`${g._id.org}/${g._id.kind}/${g._id.overdue}`, g.n);
    const expected = new Map<string, number>();
    for (const r of await Rows.find({ status: 'open', key: { $regex: '^k' } }).lean()) {
      const k = `${r.org}/${r.kind}/${r.overdue}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    expect(counted).toEqual(expected);
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('when a subtree is filtered by a path array, sorted, paged and counted, then the page and total agree', async () => {
    const filter = { path: 'org1', status: 'open' };
    const total = await Rows.countDocuments(filter);
    const page = await Rows.find(filter).sort({ due: 1 }).skip(1).limit(2).lean();
    const all = await Rows.find(filter).sort({ due: 1 }).lean();
    expect(total).toBe(all.length);
    expect(page.map((r) => r.key)).toEqual(all.slice(1, 3).map((r) => r.key));
  });

  it('when the aggregation counts with $count and limits with $limit, then both work', async () => {
    const [counted] = await Rows.aggregate<{ n: number }>([{ $match: { overdue: true } }, { $count: 'n' }]);
    expect(counted?.n).toBe(await Rows.countDocuments({ overdue: true }));
    const oldest = await Rows.aggregate<{ key: string }>([{ $match: { overdue: true } }, { $sort: { due: 1 } }, { $limit: 1 }, { $project: { key: 1 } }]);
    expect(oldest).toHaveLength(1);
  });
});
