/**
 * Bearer JWTs (HS256) carrying the caller's role, organisation and, where a person acts, person.
 * Every token names its issuer and audience and expires (`exp`); its person, when it names one,
 * holds a post in its organisation (checked against the directory on every request, so a token
 * stops working as soon as its person leaves the post).
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Request } from 'express';
import { z } from 'zod';
import { ConfigSchema, type Config } from '../../config/env.js';
import { ApiError } from '../http/errors.js';
import type { Principal } from '../http/endpoint.js';

export const Role = z.enum(['admin', 'caseOfficer', 'supervisor', 'unit', 'leader']);
export type Role = z.infer<typeof Role>;

const Claims = z.object({
  sub: z.string().min(1),
  role: Role,
  orgId: z.string().min(1),
  personId: z.string().min(1).optional(),
  // jsonwebtoken checks `exp` when there is one; a token without one never expires, so it is required here.
  exp: z.number({ error: 'exp is required' }),
});

/** Who issues the tokens and for whom: both are in every token and checked on every request. */
export interface TokenScope {
  issuer: string;
  audience: string;
}

export const DEFAULT_TOKEN_SCOPE: TokenScope = {
  issuer: ConfigSchema.shape.AUTH_ISSUER.parse(undefined),
  audience: ConfigSchema.shape.AUTH_AUDIENCE.parse(undefined),
};

export function tokenScopeOf(config: Partial<Pick<Config, 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>>): TokenScope {
  return { issuer: config.AUTH_ISSUER ?? DEFAULT_TOKEN_SCOPE.issuer, audience: config.AUTH_AUDIENCE ?? DEFAULT_TOKEN_SCOPE.audience };
}

export function signToken(
  secret: string,
  principal: Principal,
  expiresIn: jwt.SignOptions['expiresIn'] = '12h',
  scope: TokenScope = DEFAULT_TOKEN_SCOPE,
): string {
  // Only the principal's own claims: a principal read from a token must not carry its old `exp` into a new one.
  const { sub, role, orgId, personId } = principal;
  return jwt.sign({ sub, role, orgId, ...(personId ? { personId } : {}) }, secret, { algorithm: 'HS256', expiresIn, issuer: scope.issuer, audience: scope.audience });
}

/**
 * The secret as a key, made once: given the string, jsonwebtoken first tries it as a public
 * key and then makes a secret key of it on every request (a tenth of the API's CPU time in
 * the core-path benchmark).
 */
const secretKeys = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

/** The token's principal when its signature, `exp`, `iss` and `aud` hold; 401 otherwise. */
export function verifyToken(secret: string, token: string, scope: TokenScope = DEFAULT_TOKEN_SCOPE): Principal {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'], issuer: scope.issuer, audience: scope.audience });
  } catch {
    throw new ApiError('unauthorized', 'invalid or expired token');
  }
  const claims = Claims.safeParse(decoded);
  if (!claims.success) throw new ApiError('unauthorized', 'token lacks the required claims');
  const { sub, role, orgId, personId } = claims.data;
  return { sub, role, orgId, ...(personId ? { personId } : {}) };
}

/**
 * Reads `Authorization: Bearer <jwt>`; 401 when missing or invalid, or when the token's person
 * holds no post in the token's organisation (from the directory in memory: models/directory.ts).
 */
export function bearerAuthenticator(options: {
  secret: string;
  scope?: TokenScope;
  /** Whether the person holds a post at the organisation (the app asks the directory: `holdsPostAt`). */
  holdsPost: (personId: string, orgId: string) => Promise<boolean>;
}) {
  const { secret, scope = DEFAULT_TOKEN_SCOPE, holdsPost } = options;
  return async (req: Request): Promise<Principal> => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ApiError('unauthorized', 'missing bearer token');
    const principal = verifyToken(secret, match[1], scope);
    if (principal.personId && !(await holdsPost(principal.personId, principal.orgId))) {
      throw new ApiError('unauthorized', 'the token\'s person holds no post in its organisation');
    }
    return principal;
  };
}

/** The caller as workflows and the audit log name an actor: the token's claims, nothing else. */
export function actorOf(principal: Principal): { sub: string; role: Role; orgId: string; personId?: string } {
  return { sub: principal.sub, role: principal.role, orgId: principal.orgId, ...(principal.personId ? { personId: principal.personId } : {}) };
}
