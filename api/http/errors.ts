/** The one error format of the API: `{ error: { code, message, details? } }`. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';

export type ErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** Idempotency-Key: the first request with the key is still being processed (409). */
  | 'idempotency_key_in_progress'
  /** Idempotency-Key: the key was used for another request (422). */
  | 'idempotency_key_reused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'unavailable'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_in_progress: 409,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = statusOf[code];
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const invalidInput = (where: string, issues: z.core.$ZodIssue[]) =>
  new ApiError('invalid_input', `invalid ${where}`, issues.map(({ code, path, message }) => ({ code, path, message })));
export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);
export const forbidden = (message = 'not allowed for this account') => new ApiError('forbidden', message);
export const conflict = (message: string, details?: unknown) => new ApiError('conflict', message, details);
export const unprocessable = (message: string, details?: unknown) => new ApiError('unprocessable', message, details);

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no route ${req.method} ${req.path}`));
};

/** Turns anything thrown into the error format; only a genuine fault is a 500. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  let apiError: ApiError;
  if (err instanceof ApiError) {
    apiError = err;
  } else if (err instanceof URIError) {
    // A path or parameter that is not valid percent-encoding (`/api/v1/tasks/%ff`).
    apiError = new ApiError('invalid_input', 'the URL is not valid percent-encoding');
  } else if (isBodyParserError(err) && err.type === 'entity.parse.failed') {
    apiError = new ApiError('invalid_input', 'request body is not valid JSON');
  } else if (isBodyParserError(err) && err.type === 'entity.too.large') {
    apiError = new ApiError('payload_too_large', 'request body is too large');
  } else if (isBodyParserError(err) && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    apiError = new ApiError('invalid_input', err.message);
  } else if (isHttpError(err) && err.status === 400) {
    // The console's file server refusing a malformed path (`/console/%c0`).
    apiError = new ApiError('invalid_input', 'the URL is not valid');
  } else if (isHttpError(err) && err.status === 404) {
    apiError = new ApiError('not_found', 'not found');
  } else if (isDependencyDown(err)) {
    // The database or Temporal is unreachable: the request may be repeated later, nothing was half-done.
    apiError = new ApiError('unavailable', 'a service the API depends on is unavailable; try again later');
  } else {
    console.error('unhandled error in request', err);
    apiError = new ApiError('internal', 'internal error');
  }
  res.status(apiError.status).json(apiError.toBody());
};

/** MongoDB unreachable, disconnected or momentarily locked, or Temporal's frontend unavailable. */
function isDependencyDown(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (/^Mongo(Network|ServerSelection|NotConnected|NetworkTimeout|TopologyClosed)Error$/.test(err.name)) return true;
  if (/^Mongo/.test(err.name) && /Client must be connected|Connection (was )?closed|connection .* closed/i.test(err.message)) return true;
  // FerretDB on SQLite under heavy concurrent writes: transient, the request may be repeated.
  if (/^Mongo/.test(err.name) && /SQLITE_BUSY|database is locked/.test(err.message)) return true;
  // gRPC status 14 (UNAVAILABLE) from the Temporal client.
  return 'code' in err && (err as { code: unknown }).code === 14;
}

/** An error in the http-errors convention (express's static files): a status meant to be shown. */
function isHttpError(err: unknown): err is { status: number; expose: boolean } {
  return typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && 'expose' in err && err.expose === true;
}

/**
 * Refuses a request body sent compressed (any `Content-Encoding` but identity), 415, before
 * anything reads it: the API takes small JSON bodies, and inflating one is work and memory an
 * unauthenticated caller could ask for.
 */
export const identityBodiesOnly: RequestHandler = (req, _res, next) => {
  const encoding = (req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  next(encoding === 'identity' || encoding === '' ? undefined : new ApiError('unsupported_media_type', `Content-Encoding ${encoding} is not accepted: send the body uncompressed`));
};

function isBodyParserError(err: unknown): err is { type: string; status?: number; message: string } {
  return typeof err === 'object' && err !== null && 'type' in err && typeof (err).type === 'string';
}
