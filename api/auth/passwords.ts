/**
 * Password hashes: argon2id through @node-rs/argon2, with OWASP's recommended parameters
 * (19 MiB, 2 passes, 1 lane; about 20 ms here). The PHC string keeps the parameters and salt,
 * so a later change of parameters still verifies older hashes.
 */
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

// Algorithm.Argon2id: a const enum, which isolatedModules cannot inline, so its value is written here.
const ARGON2ID = 2 as Algorithm;
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of no one's password, verified when there is no account, so that answer takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

/** Whether the password matches the hash; with no hash (no such account, SSO only), false after the same work. */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash verifies nothing
  }
}
