// All-day Meetings and Tasks (espocrm.md §7 datetimeOptional): dateStartDate / dateEndDate / isAllDay in, the canonical
// all_day + first and last day stored (mapping.md §2.6), EspoCRM's attributes rendered back.
import { makeApp, TestApp } from '../../helpers/app';
import { ADMIN_ID, Api, api, idOf, reason } from './espo';

let t: TestApp;
let a: Api;
beforeAll(async () => { t = await makeApp(); a = api(t); });
afterAll(() => t.close());

const meeting = (body: Record<string, unknown>) => a.post('/Meeting', { name: 'Offsite', assignedUserId: ADMIN_ID, ...body });
const stored = async (hex: string) => {
  const r = await t.core.get('activity', idOf(hex), t.ctx);
  return { all_day: r.all_day, date_start: r.date_start, date_end: r.date_end };
};

describe('create', () => {
  test('isAllDay with dates: the days stored, EspoCRM\'s datetimes and duration rendered', async () => {
    const r = await meeting({ isAllDay: true, dateStartDate: '2026-05-04', dateEndDate: '2026-05-05' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      isAllDay: true, dateStartDate: '2026-05-04', dateEndDate: '2026-05-05',
      dateStart: '2026-05-04 00:00:00', dateEnd: '2026-05-06 00:00:00', duration: 172800,
    });
    expect(await stored(r.body.id)).toEqual({ all_day: true, date_start: '2026-05-04 00:00:00', date_end: '2026-05-05 00:00:00' });
    expect((await a.get(`/Meeting/${r.body.id}`)).body).toEqual(r.body);
  });

  test('the dates alone make it all-day and win over datetimes sent with them; an ATOM datetime gives its day', async () => {
    const r = await meeting({ dateStart: '2026-06-01 09:00:00', dateStartDate: '2026-06-01T00:00:00+02:00', dateEndDate: '2026-06-01' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ isAllDay: true, dateStartDate: '2026-06-01', dateEndDate: '2026-06-01', dateStart: '2026-06-01 00:00:00', dateEnd: '2026-06-02 00:00:00' });
  });

  test('a Task with a due day only', async () => {
    const r = await a.post('/Task', { name: 'File taxes', assignedUserId: ADMIN_ID, dateEndDate: '2026-04-30' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dateStart: null, dateStartDate: null, dateEndDate: '2026-04-30', dateEnd: '2026-05-01 00:00:00' });
    expect(await stored(r.body.id)).toEqual({ all_day: true, date_start: null, date_end: '2026-04-30 00:00:00' });
  });

  test('a timed meeting has no dates', async () => {
    const r = await meeting({ dateStart: '2026-05-04 09:00:00', dateEnd: '2026-05-04 10:30:00' });
    expect(r.body).toMatchObject({ isAllDay: false, dateStartDate: null, dateEndDate: null, dateEnd: '2026-05-04 10:30:00', duration: 5400 });
  });

  test('a Call has no date attributes: they are ignored, so its dateStart is missing', async () => {
    const r = await a.post('/Call', { name: 'Ring', assignedUserId: ADMIN_ID, dateStartDate: '2026-05-04', dateEnd: '2026-05-04 10:00:00' });
    expect([r.status, reason(r)]).toEqual([400, 'Field validation failure; entityType: Call, field: dateStart, type: required.']);
  });
});

describe('update', () => {
  test('a new last day; reading back and writing everything back is no change', async () => {
    const c = await meeting({ isAllDay: true, dateStartDate: '2026-07-01', dateEndDate: '2026-07-01' });
    const u = await a.put(`/Meeting/${c.body.id}`, { dateEndDate: '2026-07-03' });
    expect(u.body).toMatchObject({ dateEndDate: '2026-07-03', dateEnd: '2026-07-04 00:00:00', dateStartDate: '2026-07-01' });
    const again = await a.put(`/Meeting/${c.body.id}`, u.body);
    expect(again.status).toBe(200);
    expect(again.body.modifiedAt).toBe(u.body.modifiedAt);
    expect(await stored(c.body.id)).toEqual({ all_day: true, date_start: '2026-07-01 00:00:00', date_end: '2026-07-03 00:00:00' });
  });

  test('isAllDay false ends it: the dates go, the times are those the client was shown', async () => {
    const c = await meeting({ isAllDay: true, dateStartDate: '2026-08-10', dateEndDate: '2026-08-11' });
    const u = await a.put(`/Meeting/${c.body.id}`, { isAllDay: false });
    expect(u.body).toMatchObject({ isAllDay: false, dateStartDate: null, dateEndDate: null, dateStart: '2026-08-10 00:00:00', dateEnd: '2026-08-12 00:00:00' });
  });

  test('isAllDay true on a timed meeting: its days', async () => {
    const c = await meeting({ dateStart: '2026-09-01 15:00:00', dateEnd: '2026-09-02 11:00:00' });
    const u = await a.put(`/Meeting/${c.body.id}`, { isAllDay: true });
    expect(u.body).toMatchObject({ isAllDay: true, dateStartDate: '2026-09-01', dateEndDate: '2026-09-02', dateEnd: '2026-09-03 00:00:00' });
  });

  test('a Task back to times: the dates cleared and times sent', async () => {
    const c = await a.post('/Task', { name: 'Timed again', assignedUserId: ADMIN_ID, dateStartDate: '2026-10-01', dateEndDate: '2026-10-02' });
    const u = await a.put(`/Task/${c.body.id}`, { dateStartDate: null, dateEndDate: null, dateStart: '2026-10-01 08:00:00', dateEnd: '2026-10-01 09:00:00' });
    expect(u.body).toMatchObject({ dateStartDate: null, dateEndDate: null, dateStart: '2026-10-01 08:00:00', dateEnd: '2026-10-01 09:00:00' });
    expect((await stored(c.body.id)).all_day).toBe(false);
  });

  test.each([
    ['dateStartDate', '04/05/2026', 'dateStart'],
    ['dateStartDate', '2026-02-30', 'dateStart'],
    ['dateEndDate', 20260505, 'dateEnd'],
    ['dateEndDate', '2026-05-05 10:00:00', 'dateEnd'],
  ])('%s %j: 400 valid on %s, nothing changed', async (attr, value, field) => {
    const c = await meeting({ isAllDay: true, dateStartDate: '2026-11-01', dateEndDate: '2026-11-01' });
    const r = await a.put(`/Meeting/${c.body.id}`, { name: 'Renamed', [attr]: value });
    expect([r.status, reason(r), r.body]).toEqual([400, `Field validation failure; entityType: Meeting, field: ${field}, type: valid.`,
      { messageTranslation: { label: 'validationFailure', scope: null, data: { field, type: 'valid' } } }]);
    expect((await a.get(`/Meeting/${c.body.id}`)).body).toEqual(c.body);
  });

  test('a bad date on create stores nothing', async () => {
    const before = await t.core.count('activity', undefined, t.ctx);
    const r = await meeting({ dateStartDate: 'soon', dateEndDate: '2026-11-02' });
    expect([r.status, reason(r)]).toEqual([400, 'Field validation failure; entityType: Meeting, field: dateStart, type: valid.']);
    expect(await t.core.count('activity', undefined, t.ctx)).toBe(before);
  });
});
