// All-day Meetings and Tasks (espocrm.md §7 datetimeOptional, Meeting `isAllDay`; mapping.md §2.6 all_day). EspoCRM
// keeps `dateStartDate`/`dateEndDate` beside `dateStart`/`dateEnd` and derives the datetimes from them (Repositories/
// Event): start = that day 00:00:00, end = the day after the last day 00:00:00. Canonically an all-day record has
// all_day = true, date_start = first day 00:00:00 and date_end = last day 00:00:00 (the due date other CRMs show).
import type { Patch, Rec } from '../../core/types';
import { addDays, normalizeDate } from './dates';

/** The Espo types whose dateStart/dateEnd are datetimeOptional. */
export const ALL_DAY_TYPES = new Set(['Task', 'Meeting']);
export const DATE_ATTRIBUTES: Record<string, 'date_start' | 'date_end'> = { dateStartDate: 'date_start', dateEndDate: 'date_end' };

const ATOM = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/;
const MIDNIGHT = ' 00:00:00';

/** A date attribute's value: a date (EspoCRM's sanitizer also takes an ATOM datetime's day), null, or invalid. */
function dateOf(v: unknown): string | null | undefined {
  if (v === null || v === '') return null;
  return normalizeDate(v) ?? (typeof v === 'string' ? normalizeDate(ATOM.exec(v)?.[1]) : undefined);
}

const dayOf = (datetime: unknown): string | undefined => (typeof datetime === 'string' ? datetime.slice(0, 10) : undefined);

/** The day an exclusive end falls before: '2026-05-07 00:00:00' ends the 6th, '2026-05-06 10:00:00' the 6th. */
function lastDay(end: unknown): string | undefined {
  if (typeof end !== 'string') return undefined;
  return end.endsWith(MIDNIGHT) ? addDays(end.slice(0, 10), -1) : end.slice(0, 10);
}

/**
 * Folds the date attributes of a body into the patch (after the other attributes were read, so `patch.date_start`,
 * `patch.date_end` and `patch.all_day` hold what the body sent). Returns the Espo field of an invalid date, or undefined.
 */
export function applyAllDay(dates: Record<string, unknown>, patch: Patch, before?: Rec): string | undefined {
  const given: Partial<Record<'date_start' | 'date_end', string | null>> = {};
  for (const [attr, value] of Object.entries(dates)) {
    const d = dateOf(value);
    if (d === undefined) return attr.slice(0, -'Date'.length);
    given[DATE_ATTRIBUTES[attr]] = d;
  }
  const was = before?.all_day === true;
  const dated = Object.values(given).some((d) => d !== null);
  const cleared = Object.values(given).some((d) => d === null) && ('date_start' in patch || 'date_end' in patch);
  // Meeting's isAllDay decides; else a date makes the record all-day, and a cleared date with a time ends it (Task).
  const allDay = 'all_day' in patch ? patch.all_day === true : dated ? true : cleared ? false : was;
  if (allDay) {
    const start = given.date_start ?? dayOf(patch.date_start ?? before?.date_start);
    if (start && (given.date_start || 'date_start' in patch || !was)) patch.date_start = start + MIDNIGHT;
    let end = given.date_end ?? ('date_end' in patch || !was ? lastDay(patch.date_end ?? before?.date_end) : undefined);
    if (!given.date_end && end && start && end < start) end = start; // a zero-length timed meeting becomes one day
    if (end) patch.date_end = end + MIDNIGHT;
  } else if (was && !('date_end' in patch) && typeof before?.date_end === 'string') {
    // Ending all-day keeps the end the client was shown (the day after the last day), unless it sends one.
    patch.date_end = addDays(before.date_end.slice(0, 10), 1) + MIDNIGHT;
  }
  if (allDay !== was || 'all_day' in patch) patch.all_day = allDay;
  return undefined;
}

/** EspoCRM's view of an all-day record: the date attributes, and dateEnd (and duration) at the day after the last day. */
export function renderAllDay(rec: Rec, out: Record<string, unknown>, start: boolean, end: boolean): void {
  const allDay = rec.all_day === true;
  if (start) out.dateStartDate = allDay ? dayOf(rec.date_start) ?? null : null;
  if (!end) return;
  out.dateEndDate = allDay ? dayOf(rec.date_end) ?? null : null;
  if (!allDay || typeof rec.date_end !== 'string') return;
  out.dateEnd = addDays(rec.date_end.slice(0, 10), 1) + MIDNIGHT;
  if (typeof out.duration === 'number') out.duration += 86400;
}
