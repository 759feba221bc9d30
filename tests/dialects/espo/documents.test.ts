// Document's required file (espocrm.md §7, mapping.md C1): `fileId` on create, reported on EspoCRM's field `file`;
// the creation-time defaults of the core seen through react-admin.
import request from 'supertest';
import { makeApp, TestApp } from '../../helpers/app';
import { Api, api, count, idOf, reason } from './espo';
import { BEARER } from '../react-admin/ra';

let t: TestApp;
let a: Api;
beforeAll(async () => { t = await makeApp(); a = api(t); });
afterAll(() => t.close());

const failure = (field: string, type: string) => ({
  reason: `Field validation failure; entityType: Document, field: ${field}, type: ${type}.`,
  body: { messageTranslation: { label: 'validationFailure', scope: null, data: { field, type } } },
});

describe('Document fileId', () => {
  test.each([
    ['missing', {}, 'required'],
    ['null', { fileId: null }, 'required'],
    ['empty', { fileId: '' }, 'required'],
    ['not an id', { fileId: '../etc/passwd' }, 'pattern'],
  ])('%s: 400 on field file, nothing stored', async (_n, body, type) => {
    const before = await count(t, 'document');
    const r = await a.post('/Document', { name: 'Contract', publishDate: '2026-05-04', ...body });
    const want = failure('file', type);
    expect([r.status, reason(r), r.body]).toEqual([400, want.reason, want.body]);
    expect(await count(t, 'document')).toBe(before);
  });

  test('name is checked first, publishDate after the file (EspoCRM\'s field order)', async () => {
    expect(reason(await a.post('/Document', { publishDate: '2026-05-04' }))).toBe(failure('name', 'required').reason);
    expect(reason(await a.post('/Document', { name: 'No date', fileId: 'att1' }))).toBe(failure('publishDate', 'required').reason);
  });

  test('given: stored and rendered back; an update may leave it out but not clear it', async () => {
    const r = await a.post('/Document', { name: 'NDA', fileId: '66a1f3c2b4d5e9f0a', fileName: 'nda.pdf', publishDate: '2026-05-04' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ fileId: '66a1f3c2b4d5e9f0a', fileName: 'nda.pdf' });
    expect((await t.core.get('document', idOf(r.body.id), t.ctx)).file_id).toBe('66a1f3c2b4d5e9f0a');
    expect((await a.put(`/Document/${r.body.id}`, { status: 'Draft' })).status).toBe(200);
    const cleared = await a.put(`/Document/${r.body.id}`, { fileId: null, status: 'Active' });
    expect([cleared.status, reason(cleared)]).toEqual([400, failure('file', 'required').reason]);
    expect((await a.get(`/Document/${r.body.id}`)).body).toMatchObject({ fileId: '66a1f3c2b4d5e9f0a', status: 'Draft' });
  });

  test('a document written without a file elsewhere is still read and updated here (R3)', async () => {
    const d = await t.core.create('document', { name: 'From Vtiger', publish_date: '2026-05-04' }, t.ctx);
    const hex = d.id.toString(16).padStart(17, '0');
    expect((await a.get(`/Document/${hex}`)).body.fileId).toBeNull();
    const u = await a.put(`/Document/${hex}`, { description: 'kept without a file' });
    expect(u.status).toBe(200);
  });
});

describe('creation-time defaults', () => {
  test('a Case created through EspoCRM is opened at its creation time (react-admin shows opened_at)', async () => {
    const c = await a.post('/Case', { name: 'Broken printer' });
    const ra = await request(t.app).get(`/api/cases/${idOf(c.body.id)}`).set(BEARER);
    expect(ra.status).toBe(200);
    expect(ra.body.opened_at).toBe(ra.body.created_at);
  });
});
