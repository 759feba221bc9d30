// Typed errors: the core throws these, every dialect renders them in its CRM's own shape.

export type ErrorKind = 'not_found' | 'validation' | 'conflict' | 'unauthorized' | 'forbidden' | 'bad_request';

export class CoreError extends Error {
  constructor(readonly kind: ErrorKind, message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends CoreError {
  constructor(readonly entity: string, readonly id: unknown, message?: string) {
    super('not_found', message ?? `${entity} ${String(id)} not found`);
  }
}

/** One failed rule: `rule` is required | type | maxLength | min | max | pattern | valid | email | unknownField. */
export interface ValidationIssue { field: string; rule: string; message?: string }

export class ValidationError extends CoreError {
  constructor(readonly entity: string, readonly issues: ValidationIssue[]) {
    super('validation', `Validation failed for ${entity}: ` + issues.map((i) => `${i.field} ${i.rule}`).join(', '));
  }
}

export class ConflictError extends CoreError {
  constructor(message: string, readonly records: unknown[] = []) {
    super('conflict', message);
  }
}

export class UnauthorizedError extends CoreError {
  constructor(message = 'Unauthorized') { super('unauthorized', message); }
}

export class ForbiddenError extends CoreError {
  constructor(message = 'Forbidden') { super('forbidden', message); }
}

/** A request the core cannot parse: names the offending parameter and, where known, the position in it. */
export class BadRequestError extends CoreError {
  constructor(message: string, readonly param?: string, readonly position?: number) {
    super('bad_request', message);
  }
}

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}
