/**
 * Headers every answer carries (issue 12, "Surface"): the console and the API docs load
 * scripts only from this origin and cannot be framed; no answer is sniffed as another type;
 * API answers (case data, tokens' scope) are never kept by a browser or proxy cache.
 *
 * `style-src 'unsafe-inline'`: the API docs page (swagger-ui-express) has `<style>` elements;
 * the console needs none (its browser test fails on any refusal). Scripts stay 'self' only.
 * `img-src`/`font-src data:`: Swagger UI's images are data URIs.
 */
import type { RequestHandler } from 'express';
import { API_BASE } from '../app.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (req.path.startsWith(API_BASE)) res.setHeader('Cache-Control', 'no-store');
  next();
};
