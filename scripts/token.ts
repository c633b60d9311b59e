/**
 * Mints a development bearer token:
 *   npm run token -- --role unit --org futang-pc [--person p-futang-pl] [--sub someone] [--expires 12h]
 * Signed with AUTH_SECRET from the environment (the development default when unset), for AUTH_ISSUER
 * and AUTH_AUDIENCE. Refused with NODE_ENV=production: there people sign in (docs/accounts.md), and a
 * token minted by hand would be a way around accounts, lockout and the audit log.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/env.js';
import { Role, signToken, tokenScopeOf } from '../api/auth/tokens.js';

if (process.env.NODE_ENV === 'production') {
  console.error('npm run token: refused with NODE_ENV=production. Development tokens are for development and tests; in production people sign in with an account (docs/accounts.md).');
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    org: { type: 'string' },
    person: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});

const args = z
  .object({
    role: Role,
    org: z.string().min(1, '--org is required'),
    person: z.string().min(1).optional(),
    sub: z.string().min(1).optional(),
    expires: z.string().regex(/^\d+[smhd]$/, '--expires like 12h or 7d'),
  })
  .safeParse(values);

if (!args.success) {
  console.error('usage: npm run token -- --role <admin|caseOfficer|supervisor|unit|leader> --org <orgId> [--person <personId>] [--sub <id>] [--expires 12h]');
  for (const issue of args.error.issues) console.error(`  ${issue.path.join('.') || 'args'}: ${issue.message}`);
  process.exit(2);
}

const config = loadConfig();
const { role, org, person, sub, expires } = args.data;
console.log(
  signToken(
    config.AUTH_SECRET,
    { sub: sub ?? `${role}@${org}`, role, orgId: org, ...(person ? { personId: person } : {}) },
    expires as `${number}${'s' | 'm' | 'h' | 'd'}`,
    tokenScopeOf(config),
  ),
);
