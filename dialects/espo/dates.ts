// EspoCRM's date-relative where types (espocrm.md §5.3): `today`, `lastXDays`, `currentQuarter`..., against an
// injected `now`, and the `dateTime: true` rewrite that turns them (and on/before/after/between) into UTC bounds.
import type { Where } from '../../core/types';
import { BadRequestError } from '../../core/errors';

export interface DateContext {
  now: Date;
  timeZone: string;          // the zone "today" is computed in (item's timeZone, else the system zone, UTC)
  fiscalYearShift: number;   // months (config fiscalYearShift)
}

export const DATE_RELATIVE_TYPES = new Set(['today', 'past', 'future', 'lastSevenDays', 'lastXDays', 'nextXDays',
  'olderThanXDays', 'afterXDays', 'currentMonth', 'lastMonth', 'nextMonth', 'currentQuarter', 'lastQuarter',
  'currentYear', 'lastYear', 'currentFiscalYear', 'lastFiscalYear', 'currentFiscalQuarter', 'lastFiscalQuarter']);

/** Types that `dateTime: true` rewrites besides the date-relative ones. */
const DATE_VALUE_TYPES = new Set(['on', 'notOn', 'before', 'after', 'between']);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** 'YYYY-MM-DD' if it is a real calendar date, else undefined. */
export function normalizeDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? value : undefined;
}

/** 'YYYY-MM-DD HH:MM:SS' from that form, 'HH:MM' or a `T` separator; undefined if invalid. */
export function normalizeDateTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATETIME.exec(value);
  if (!m || !normalizeDate(m[1]) || +m[2] > 23 || +m[3] > 59 || +(m[4] ?? 0) > 59) return undefined;
  return `${m[1]} ${m[2]}:${m[3]}:${m[4] ?? '00'}`;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of instant `ms` in `tz`, as if it were UTC (ms). */
function wallClock(ms: number, tz: string): number {
  if (tz === 'UTC') return ms;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** A wall-clock 'YYYY-MM-DD HH:MM:SS' in `tz` -> the UTC stamp of that instant. */
export function localToUtc(local: string, tz: string): string {
  const [d, t = '00:00:00'] = local.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  const guess = Date.UTC(y, mo - 1, da, h, mi, s);
  let ms = guess - (wallClock(guess, tz) - guess);
  ms = guess - (wallClock(ms, tz) - ms);
  return stamp(new Date(ms));
}

/** Today's date in `tz`. */
export function todayIn(now: Date, tz: string): string {
  return stamp(new Date(wallClock(now.getTime() - (now.getTime() % 1000), tz))).slice(0, 10);
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The first day of the month `n` months after the month of `date`. */
function monthStart(date: string, n = 0): string {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}

/** [first day, first day after] of a calendar or fiscal period containing (or before) `today`. */
export function periodRange(type: string, today: string, fiscalYearShift = 0): [string, string] | undefined {
  const month = Number(today.slice(5, 7)) - 1;
  const quarterStart = monthStart(today, -(month % 3));
  const yearStart = monthStart(today, -month);
  const shift = ((fiscalYearShift % 12) + 12) % 12;
  const sinceFiscal = (month - shift + 12) % 12;
  const fiscalYear = monthStart(today, -sinceFiscal);
  const fiscalQuarter = monthStart(today, -(sinceFiscal % 3));
  switch (type) {
    case 'currentMonth': return [monthStart(today), monthStart(today, 1)];
    case 'lastMonth': return [monthStart(today, -1), monthStart(today)];
    case 'nextMonth': return [monthStart(today, 1), monthStart(today, 2)];
    case 'currentQuarter': return [quarterStart, monthStart(quarterStart, 3)];
    case 'lastQuarter': return [monthStart(quarterStart, -3), quarterStart];
    case 'currentYear': return [yearStart, monthStart(yearStart, 12)];
    case 'lastYear': return [monthStart(yearStart, -12), yearStart];
    case 'currentFiscalYear': return [fiscalYear, monthStart(fiscalYear, 12)];
    case 'lastFiscalYear': return [monthStart(fiscalYear, -12), fiscalYear];
    case 'currentFiscalQuarter': return [fiscalQuarter, monthStart(fiscalQuarter, 3)];
    case 'lastFiscalQuarter': return [monthStart(fiscalQuarter, -3), fiscalQuarter];
    default: return undefined;
  }
}

/** PHP intval of a where value: leading integer, else 0; held within ±1,000,000 days so every bound is a real date. */
function days(value: unknown): number {
  const n = typeof value === 'number' ? Math.trunc(value) : parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) ? Math.max(-1_000_000, Math.min(1_000_000, n)) : 0;
}

/** A date-relative item on a date field (or a datetime field without `dateTime`): compared as dates. */
export function dateRelative(type: string, field: string, value: unknown, ctx: DateContext): Where {
  const today = todayIn(ctx.now, ctx.timeZone);
  const n = days(value);
  const cmp = (op: 'eq' | 'lt' | 'gt', v: string): Where => ({ field, op, value: v });
  const between = (a: string, b: string): Where => ({ field, op: 'between', value: [a, b] });
  switch (type) {
    case 'today': return cmp('eq', today);
    case 'past': return cmp('lt', today);
    case 'future': return cmp('gt', today);
    case 'lastSevenDays': return between(addDays(today, -7), today);
    case 'lastXDays': return between(addDays(today, -n), today);
    case 'nextXDays': return between(today, addDays(today, n));
    case 'olderThanXDays': return cmp('lt', addDays(today, -n));
    case 'afterXDays': return cmp('gt', addDays(today, n));
  }
  const range = periodRange(type, today, ctx.fiscalYearShift);
  if (!range) throw new BadRequestError(`Unknown where item type '${type}'.`, 'where');
  return { and: [{ field, op: 'gte', value: range[0] }, { field, op: 'lt', value: range[1] }] };
}

function badValue(): BadRequestError {
  return new BadRequestError("Bad 'value'.", 'where');
}

/** Whether `dateTime: true` rewrites an item of this type. */
export function isDateTimeType(type: string): boolean {
  return DATE_RELATIVE_TYPES.has(type) || DATE_VALUE_TYPES.has(type);
}

/**
 * The `dateTime: true` rewrite (espocrm.md §5.3): bounds computed in the item's zone, compared as UTC datetimes.
 * A date-only value stands for that whole local day.
 */
export function dateTimeItem(type: string, field: string, value: unknown, ctx: DateContext): Where {
  const tz = ctx.timeZone;
  const now = stamp(new Date(ctx.now.getTime() - (ctx.now.getTime() % 1000)));
  const today = todayIn(ctx.now, tz);
  const start = (date: string) => localToUtc(`${date} 00:00:00`, tz);
  const end = (date: string) => localToUtc(`${date} 23:59:59`, tz);
  const between = (a: string, b: string): Where => ({ field, op: 'between', value: [a, b] });
  const n = days(value);
  /** A value: [date-only?, the UTC instant / day]. */
  const operand = (v: unknown): { date?: string; instant?: string } => {
    const d = normalizeDate(v);
    if (d) return { date: d };
    const dt = normalizeDateTime(v);
    if (dt) return { instant: localToUtc(dt, tz) };
    throw badValue();
  };
  switch (type) {
    case 'today': return between(start(today), end(today));
    case 'past': return { field, op: 'lte', value: now };
    case 'future': return { field, op: 'gt', value: now };
    case 'lastSevenDays': return between(start(addDays(today, -7)), now);
    case 'lastXDays': return between(start(addDays(today, -n)), now);
    // Espo's bound is "day(now+N) 24:59:59", which PHP reads as 00:59:59 of the day after; kept as is.
    case 'nextXDays': return between(now, localToUtc(`${addDays(today, n + 1)} 00:59:59`, tz));
    case 'olderThanXDays': return { field, op: 'lt', value: start(addDays(today, -n)) };
    case 'afterXDays': return { field, op: 'gte', value: start(addDays(today, n)) };
    case 'on': {
      const o = operand(value);
      return o.date ? between(start(o.date), end(o.date)) : { field, op: 'eq', value: o.instant };
    }
    case 'notOn': {
      const o = operand(value);
      if (!o.date) return { field, op: 'ne', value: o.instant };
      return { or: [{ field, op: 'lt', value: start(o.date) }, { field, op: 'gt', value: end(o.date) }] };
    }
    case 'before': {
      const o = operand(value);
      return { field, op: 'lt', value: o.date ? start(o.date) : o.instant };
    }
    case 'after': {
      const o = operand(value);
      return { field, op: 'gt', value: o.date ? end(o.date) : o.instant };
    }
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) throw new BadRequestError("Bad where item 'between'.", 'where');
      const a = operand(value[0]);
      const b = operand(value[1]);
      return between(a.date ? start(a.date) : a.instant!, b.date ? end(b.date) : b.instant!);
    }
  }
  const range = periodRange(type, today, ctx.fiscalYearShift);
  if (!range) throw new BadRequestError(`Unknown where item type '${type}'.`, 'where');
  return between(start(range[0]), end(addDays(range[1], -1)));
}
