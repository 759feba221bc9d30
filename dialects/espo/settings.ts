// GET /Settings (espocrm.md §1; no credentials needed): the public part of EspoCRM's settings object. A value the
// gateway really has (time zone, currencies, page cap, person-name order, the scopes) comes from where the gateway
// keeps it; the display preferences it has no opinion on (page sizes of a UI, separators) keep EspoCRM's defaults.
import type { Request, Response } from 'express';
import type { Registry } from '../../core/schema/registry';
import { BASE_CURRENCY } from '../../core/rules';
import type { DialectContext } from '../types';
import { FISCAL_YEAR_SHIFT, MAX_SIZE, SYSTEM_TIME_ZONE } from './query';
import { espoScopes, perRevision } from './scopes';
import { type Attributes, send } from './render';

/** The EspoCRM release whose API this dialect follows (spec/espocrm.md §0): clients that branch on it see that one. */
export const ESPO_VERSION = '9.3.9';

export function buildSettings(registry: Registry): Attributes {
  return {
    version: ESPO_VERSION,
    applicationName: 'crm-gateway',
    language: 'en_US',
    timeZone: SYSTEM_TIME_ZONE,            // date filters' zone; every stored time is UTC
    dateFormat: 'YYYY-MM-DD',              // the API's own date form, so that what a client shows is what it sends
    timeFormat: 'HH:mm',
    weekStart: 0,
    fiscalYearShift: FISCAL_YEAR_SHIFT,
    thousandSeparator: ',',
    decimalMark: '.',
    // The core fills the base currency on every amount without a code and converts nothing (mapping.md §1).
    currencyList: [BASE_CURRENCY],
    defaultCurrency: BASE_CURRENCY,
    baseCurrency: BASE_CURRENCY,
    currencyRates: {},
    personNameFormat: 'firstLast',         // the core derives `name` as first then last name
    recordsPerPage: 20,
    recordsPerPageSmall: 5,
    recordsPerPageSelect: 10,
    recordListMaxSizeLimit: MAX_SIZE,
    displayListViewRecordCount: true,
    // Settings is this object in EspoCRM, not a tab of records (the canonical settings record keeps its /Settings/{id}).
    tabList: espoScopes(registry).map((s) => s.type).filter((t) => t !== 'Settings'),
    useWebSocket: false,                   // the gateway pushes nothing
  };
}

const cachedSettings = perRevision(buildSettings);

export async function settings(ctx: DialectContext, _req: Request, res: Response): Promise<void> {
  send(res, cachedSettings(ctx.core.registry));
}
