/**
 * `npm run account:create -- --username admin --role admin --org yiwu-pc [--person p-…]`: makes an
 * account straight in MONGODB_URI, with the password read from the first line of standard input
 * (or ACCOUNT_PASSWORD), under the password policy. For the first administrator of a new
 * installation, production included; every later account an administrator makes through
 * POST /api/v1/accounts. Audited as made by `system:account-create`.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { loadConfig } from '../config/env.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes } from '../models/index.js';
import { ApiError } from '../api/http/errors.js';
import { createAccount, CreateAccountBody } from '../api/accounts/create.js';

async function firstLine(): Promise<string | undefined> {
  if (process.env.ACCOUNT_PASSWORD) return process.env.ACCOUNT_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  for await (const line of createInterface({ input: process.stdin })) return line;
  return undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { username: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' }, person: { type: 'string' } } });
  const password = await firstLine();
  const body = CreateAccountBody.safeParse({ username: values.username, role: values.role, orgId: values.org, personId: values.person, password });
  if (!body.success) {
    console.error('usage: npm run account:create -- --username <name> --role <admin|caseOfficer|supervisor|unit|leader> --org <orgId> [--person <personId>] < password');
    for (const issue of body.error.issues) console.error(`  ${issue.path.join('.') || 'args'}: ${issue.message}`);
    process.exit(2);
  }
  const config = loadConfig();
  const conn = await connectDb(config.MONGODB_URI);
  try {
    const models = createModels(conn);
    await syncIndexes(models);
    const account = await createAccount(models, body.data, { kind: 'system', sub: 'system:account-create' });
    console.log(`account:create: ${account._id} (${account.role} of ${account.orgId}) created`);
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  console.error('account:create:', err instanceof ApiError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
