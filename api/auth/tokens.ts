/** Bearer JWTs (HS256) carrying the caller's role, organisation and, where a person acts, person. */
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Request } from 'express';
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import type { Principal } from '../http/endpoint.js';

export const Role = z.enum(['admin', 'caseOfficer', 'supervisor', 'unit', 'leader']);
export type Role = z.infer<typeof Role>;

const Claims = z.object({
  sub: z.string().min(1),
  role: Role,
  orgId: z.string().min(1),
  personId: z.string().min(1).optional(),
});

export function signToken(secret: string, principal: Principal, expiresIn: jwt.SignOptions['expiresIn'] = '12h'): string {
  return jwt.sign(principal, secret, { algorithm: 'HS256', expiresIn });
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

export function verifyToken(secret: string, token: string): Principal {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'] });
  } catch {
    throw new ApiError('unauthorized', 'invalid or expired token');
  }
  const claims = Claims.safeParse(decoded);
  if (!claims.success) throw new ApiError('unauthorized', 'token lacks the required claims');
  return claims.data;
}

/** Reads `Authorization: Bearer <jwt>`; 401 when missing or invalid. */
export function bearerAuthenticator(secret: string) {
  return (req: Request): Principal => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ApiError('unauthorized', 'missing bearer token');
    return verifyToken(secret, match[1]);
  };
}

/** The caller as workflows and the audit log name an actor: the token's claims, nothing else. */
export function actorOf(principal: Principal): { sub: string; role: Role; orgId: string; personId?: string } {
  return { sub: principal.sub, role: principal.role, orgId: principal.orgId, ...(principal.personId ? { personId: principal.personId } : {}) };
}
