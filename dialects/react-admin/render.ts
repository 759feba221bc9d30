// Core records and errors -> the react-admin wire (react-admin.md §3.3, §3.7, §5).
// Response case: snake_case everywhere, built-ins and custom objects alike (mapping.md C20); `id` is a JSON number.
// Errors: {"error": text, "code": ..., "message": text} (+ "errors": {field: text} for validation), because
// ra's fetchJson shows body.message and react-admin forms show body.errors inline.
import type { NextFunction, Request, Response } from 'express';
import type { Rec } from '../../core/types';
import { CoreError, isCoreError, ValidationError } from '../../core/errors';
import { type Resource, wireNameOf } from './names';
import { MalformedJsonError, PayloadTooLargeError, sendJson } from '../shared/http';

export type WireRecord = Record<string, unknown>;

/** One record in the resource's wire shape (aliases included, R6), plus computed counts if any. */
export function renderRecord(res: Resource, rec: Rec): WireRecord {
  const out: WireRecord = {};
  for (const f of res.fields) out[f.name] = f.read(rec);
  out.id = rec.id;
  if (res.counts) for (const c of res.counts) out[c.name] = typeof rec[c.name] === 'number' ? rec[c.name] : 0;
  return out;
}

// `<resource> <start>-<end>/<total>` (end inclusive); `<resource> */<total>` for an empty page.
export function contentRange(resource: string, start: number, rows: number, total: number): string {
  return rows === 0 ? `${resource} */${total}` : `${resource} ${start}-${start + rows - 1}/${total}`;
}

/** A list answer: the bare array, Content-Range and X-Total-Count (json-server style clients), always 200. */
export function sendList(res: Response, resource: string, start: number, rows: WireRecord[], total: number): void {
  res.setHeader('Content-Range', contentRange(resource, start, rows.length, total));
  res.setHeader('X-Total-Count', String(total));
  sendJson(res, 200, rows);
}

/** A dialect error with an exact wire body (status, error text, code). */
export class WireError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly errors?: Record<string, string>) {
    super(message);
  }
}

export const unknownResource = () => new WireError(404, 'Unknown resource', 'NOT_FOUND');
export const notFound = () => new WireError(404, 'Not found', 'NOT_FOUND');
export const invalidRequest = () => new WireError(400, 'Invalid request', 'INVALID_REQUEST');

/** Field errors (already in wire names) -> 400 VALIDATION_FAILED, the first one named in `error`. */
export function validationFailed(errors: Record<string, string>): WireError {
  const [field, msg] = Object.entries(errors)[0];
  return new WireError(400, `Invalid ${field}: ${msg}`, 'VALIDATION_FAILED', errors);
}

const RULE_TEXT: Record<string, string> = {
  required: 'Required', type: 'Expected a different type', maxLength: 'Too long', min: 'Too small', max: 'Too big',
  pattern: 'Invalid format', valid: 'Invalid value', email: 'Invalid email', unknownField: 'Unknown field',
};

/** A core ValidationError in the resource's wire names. */
export function fromValidation(res: Resource | undefined, e: ValidationError): WireError {
  const errors: Record<string, string> = {};
  for (const i of e.issues) {
    const name = res ? wireNameOf(res, i.field) : i.field;
    if (!(name in errors)) errors[name] = i.message ? capital(i.message) : RULE_TEXT[i.rule] ?? i.rule;
  }
  return Object.keys(errors).length ? validationFailed(errors) : new WireError(400, e.message, 'VALIDATION_FAILED');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function body(error: string, code?: string, errors?: Record<string, string>): Record<string, unknown> {
  const b: Record<string, unknown> = { error };
  if (code) b.code = code;
  b.message = error;
  if (errors) b.errors = errors;
  return b;
}

/** An error the dialect knows -> its wire answer; undefined for anything else (a real fault: the app logs it). */
export function wireErrorOf(err: unknown, resource?: Resource): WireError | undefined {
  if (err instanceof WireError) return err;
  if (err instanceof PayloadTooLargeError) return new WireError(413, 'Payload too large', 'PAYLOAD_TOO_LARGE');
  if (err instanceof MalformedJsonError) return new WireError(400, 'Invalid JSON body', 'VALIDATION_FAILED');
  if (err instanceof ValidationError) return fromValidation(resource, err);
  if (isCoreError(err)) return fromCore(err);
  return undefined;
}

/** Express error hook: known errors in the wire shape, never a stack trace; faults go on to the app's 500. */
export function errorMiddleware(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) { res.end(); return; }
  const e = wireErrorOf(err, res.locals.raResource as Resource | undefined);
  if (!e) { next(err); return; }
  sendJson(res, e.status, body(e.message, e.code, e.errors));
}

function fromCore(err: CoreError): WireError {
  switch (err.kind) {
    case 'not_found': return notFound();
    case 'unauthorized': return new WireError(401, 'Unauthorized');
    case 'forbidden': return new WireError(403, 'Forbidden', 'FORBIDDEN');
    case 'conflict': return new WireError(409, err.message, 'CONFLICT');
    default: return new WireError(400, err.message, 'INVALID_REQUEST');
  }
}
