import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * Accounts: who may sign in, as whom (role, organisation, person), with what password.
 * `_id` is the username, so every read and write of an account is addressed by `_id`: the one
 * filter FerretDB 1.24 answers without reading the whole collection. Not part of the directory
 * held in memory (models/directory.ts): an account changes at every failed sign-in.
 */
export const accountSchema = new Schema(
  {
    /** The username. */
    _id: { type: String, required: true },
    role: { type: String, enum: ['admin', 'caseOfficer', 'supervisor', 'unit', 'leader'], required: true },
    orgId: { type: String, required: true },
    /** The person who signs in, holding a post at `orgId`; none for a unit's shared account. */
    personId: { type: String },
    /** argon2id (PHC string); none for an account that signs in through single sign-on only. */
    passwordHash: { type: String },
    passwordChangedAt: { type: Date },
    disabled: { type: Boolean, required: true, default: false },
    /** Failed sign-ins since the last success, lock or reset. */
    failedAttempts: { type: Number, required: true, default: 0 },
    lockedUntil: { type: Date },
    /** Sessions that began before this instant are void (set when the account is disabled or its password reset). */
    sessionsValidFrom: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'accounts', versionKey: false, timestamps: true },
);

export type Account = InferSchemaType<typeof accountSchema> & { _id: string };

export function accountModel(conn: Connection) {
  return conn.model('Account', accountSchema);
}

/**
 * A session: the chain of refresh tokens that one sign-in starts, each used once to get the
 * next (rotation). `_id` is random; revoking the session voids every token of the chain.
 */
export const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    method: { type: String, enum: ['password', 'sso'], required: true },
    createdAt: { type: Date, required: true },
    /** The session's end however it is used (policy: sessionHours). */
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedReason: { type: String },
  },
  { collection: 'sessions', versionKey: false },
);

export type Session = InferSchemaType<typeof sessionSchema> & { _id: string };

export function sessionModel(conn: Connection) {
  return conn.model('Session', sessionSchema);
}

/**
 * A refresh token, stored as the SHA-256 of its value (`_id`), so the stored records cannot be
 * used as tokens. Its use is recorded apart, by inserting its `_id` into `refresh_token_uses`:
 * an insert is the one write that two racing requests cannot both win, on FerretDB too.
 */
export const refreshTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    sessionId: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    /** Void after this unless used before (policy: idleMinutes), and never after its session's end. */
    expiresAt: { type: Date, required: true },
  },
  { collection: 'refresh_tokens', versionKey: false },
);

export type RefreshToken = InferSchemaType<typeof refreshTokenSchema> & { _id: string };

export function refreshTokenModel(conn: Connection) {
  return conn.model('RefreshToken', refreshTokenSchema);
}

/**
 * A single sign-on attempt between the redirect to the issuer and its return: the PKCE verifier
 * and nonce, under the random `state` as `_id`; taken (deleted) once by the callback.
 */
export const ssoAttemptSchema = new Schema(
  {
    _id: { type: String, required: true },
    codeVerifier: { type: String, required: true },
    nonce: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'sso_attempts', versionKey: false },
);

export function ssoAttemptModel(conn: Connection) {
  return conn.model('SsoAttempt', ssoAttemptSchema);
}
