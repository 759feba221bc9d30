// The EspoCRM edge's own errors: a status with its X-Status-Reason (and, rarely, a JSON body), and the
// field-validation failure that EspoCRM reports for the first failing field (espocrm.md §3).

/** An answer in EspoCRM's error shape: status, `X-Status-Reason`, empty body unless `body` is given. */
export class EspoError extends Error {
  constructor(readonly status: number, readonly reason: string = '', readonly body?: unknown) {
    super(reason || `HTTP ${status}`);
    this.name = 'EspoError';
  }
}

/** `Field validation failure; entityType: Contact, field: lastName, type: required.` */
export class EspoValidationError extends EspoError {
  constructor(readonly entityType: string, readonly field: string, readonly type: string) {
    super(400, `Field validation failure; entityType: ${entityType}, field: ${field}, type: ${type}.`,
      { messageTranslation: { label: 'validationFailure', scope: null, data: { field, type } } });
    this.name = 'EspoValidationError';
  }
}

export const notFoundOnRead = (id: string) => new EspoError(404, `Record ${id} does not exist.`);
export const notFoundOnWrite = (id: string) => new EspoError(404, `Record ${id} not found.`);
export const noController = (name: string) => new EspoError(404, `Controller '${name}' does not exist.`);
