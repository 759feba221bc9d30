// The reference server the gateway is measured against: express 5 + better-sqlite3 by hand, over a copy of the same file,
// the same tables, doing the same database work per request (key check, row, link names by one query per target
// table, links, contact points, count, id sequence, number counter, account check, the primary account's role on a
// title change), prepared statements, JSON.stringify.
// `node dist/bench/baseline.js --db <file> --port <n>`; prints `listening <port>` when ready.
import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import Database, { type Statement } from 'better-sqlite3';
import express from 'express';
import type { Request, Response } from 'express';
import { espoContact, raContact, type LinkRow, type PointRow, type Row } from './baseline-render';
import { all, get, run } from './baseline-sql';

const { values } = parseArgs({ options: { db: { type: 'string' }, port: { type: 'string' } } });
const db = new Database(values.db ?? 'bench/.data/bench.sqlite');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');

// Statements that take a list of ids, one per list length, prepared on first use.
const byArity = new Map<string, Statement>();
function inList(sqlFor: (marks: string) => string, n: number): Statement {
  const text = sqlFor(Array(n).fill('?').join(', '));
  let st = byArity.get(text);
  if (!st) byArity.set(text, (st = db.prepare(text)));
  return st;
}
const namesSql = (table: string) => (marks: string) => `SELECT id, name FROM ${table} WHERE id IN (${marks})`;
const pointsSql = (marks: string) => `SELECT * FROM crm_contact_point WHERE record_id IN (${marks}) ORDER BY record_id, kind, position`;
const tagsSql = (marks: string) => `SELECT from_id, to_id FROM crm_link WHERE rel = 'contact.tag_ids' AND from_id IN (${marks}) ORDER BY seq, to_id`;

const sql = {
  user: db.prepare(`SELECT u.id, u.user_name, u.is_admin, u.is_active FROM crm_api_key k JOIN crm_user u ON u.id = k.user_id
    WHERE k.key_hash = ? AND u.deleted_at IS NULL`),
  one: db.prepare('SELECT * FROM crm_contact WHERE id = ?'),
  oneAlive: db.prepare('SELECT * FROM crm_contact WHERE id = ? AND deleted_at IS NULL'),
  links: db.prepare(`SELECT rel, from_id, to_id, role, is_inactive FROM crm_link
    WHERE rel IN ('contact.tag_ids', 'contact.team_ids', 'contact.account_ids') AND from_id = ? ORDER BY seq, to_id`),
  // LIMIT as a literal, as the gateway's read path writes it.
  espoPage: db.prepare(`SELECT * FROM crm_contact t WHERE lower(t.last_name) = ? AND t.deleted_at IS NULL
    ORDER BY t.created_at DESC, t.id DESC LIMIT 20`),
  espoCount: db.prepare('SELECT COUNT(*) AS n FROM crm_contact t WHERE lower(t.last_name) = ? AND t.deleted_at IS NULL'),
  // Case-sensitive equality through the lower-cased index, as the gateway's compiler writes it.
  raPage: db.prepare('SELECT * FROM crm_contact t WHERE lower(t.last_name) = lower(?) AND t.last_name = ? AND t.deleted_at IS NULL ORDER BY t.id ASC LIMIT 20'),
  raCount: db.prepare('SELECT COUNT(*) AS n FROM crm_contact t WHERE lower(t.last_name) = lower(?) AND t.last_name = ? AND t.deleted_at IS NULL'),
  accountAlive: db.prepare('SELECT COUNT(*) AS n FROM crm_account WHERE id = ? AND deleted_at IS NULL'),
  nextId: db.prepare(`UPDATE crm_id_sequence SET value = value + 1 WHERE name = 'id' RETURNING value`),
  nextNumber: db.prepare(`UPDATE crm_counter SET value = value + 1 WHERE entity = 'contact' RETURNING value`),
  insert: db.prepare(`INSERT INTO crm_contact (id, created_at, modified_at, created_by, number, name, email, first_name, last_name,
    title, account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  insertPoint: db.prepare(`INSERT INTO crm_contact_point (record_id, kind, position, value, lower_value, type, opt_out, invalid)
    VALUES (?, 'email', 0, ?, ?, NULL, 0, 0)`),
  insertLink: db.prepare(`INSERT INTO crm_link (rel, from_id, to_id, role, seq) VALUES ('contact.account_ids', ?, ?, ?, ?)
    ON CONFLICT (rel, from_id, to_id) DO NOTHING`),
  update: db.prepare('UPDATE crm_contact SET title = ?, modified_at = ?, modified_by = ? WHERE id = ?'),
  // EspoCRM keeps a contact's title as the role on its primary account's row, and so does the gateway.
  updateRole: db.prepare(`UPDATE crm_link SET role = ? WHERE rel = 'contact.account_ids' AND from_id = ? AND to_id = ?`),
};

const hashKey = (key: string) => crypto.createHash('sha256').update(key).digest('hex');
const nowStamp = () => new Date().toISOString().slice(0, 19).replace('T', ' ');
const parseHex = (s: unknown) => (typeof s === 'string' && /^[0-9a-fA-F]{1,17}$/.test(s) ? parseInt(s, 16) : NaN);

function userOf(key: string | undefined): Row | undefined {
  if (!key) return undefined;
  const u = get(sql.user, hashKey(key)) as Row | undefined;
  return u && u.is_active !== 0 ? u : undefined;
}

function json(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** id -> name of the given ids in one table (one query; none when there are no ids). */
function names(table: string, ids: Iterable<unknown>): Map<number, string | null> {
  const list = [...new Set([...ids].filter((v): v is number => typeof v === 'number'))];
  if (!list.length) return new Map();
  return new Map(all<{ id: number; name: string | null }>(inList(namesSql(table), list.length), ...list).map((r) => [r.id, r.name]));
}

/** Adds the display names of the link fields (`<field>_name`) to a page of rows: one query per target table. */
function attachNames(rows: Row[], links: LinkRow[] = []): void {
  const users = names('crm_user', rows.flatMap((r) => [r.created_by, r.modified_by, r.assigned_user_id]));
  const accounts = names('crm_account', [...rows.map((r) => r.account_id), ...links.filter((l) => l.rel === 'contact.account_ids').map((l) => l.to_id)]);
  const campaigns = names('crm_campaign', rows.map((r) => r.campaign_id));
  const leads = names('crm_lead', rows.map((r) => r.original_lead_id));
  const contacts = names('crm_contact', rows.map((r) => r.reports_to_id));
  const nameOf = (m: Map<number, string | null>, v: unknown) => (typeof v === 'number' ? m.get(v) ?? null : null);
  for (const r of rows) {
    r.created_by_name = nameOf(users, r.created_by); r.modified_by_name = nameOf(users, r.modified_by);
    r.assigned_user_name = nameOf(users, r.assigned_user_id); r.account_name = nameOf(accounts, r.account_id);
    r.campaign_name = nameOf(campaigns, r.campaign_id); r.original_lead_name = nameOf(leads, r.original_lead_id);
    r.reports_to_name = nameOf(contacts, r.reports_to_id);
  }
  for (const l of links) l.name = nameOf(accounts, l.to_id);
}

function fullEspo(id: number): Record<string, unknown> | undefined {
  const row = get(sql.one, id) as Row | undefined;
  if (!row) return undefined;
  const links = all<LinkRow>(sql.links, id);
  attachNames([row], links);
  return espoContact(row, pointsByRecord([id]).get(id)!, links);
}

function pointsByRecord(ids: number[]): Map<number, PointRow[]> {
  const out = new Map<number, PointRow[]>(ids.map((i) => [i, []]));
  if (ids.length) for (const p of all<PointRow>(inList(pointsSql, ids.length), ...ids)) out.get(p.record_id)?.push(p);
  return out;
}

function tagsByRecord(ids: number[]): Map<number, number[]> {
  const out = new Map<number, number[]>(ids.map((i) => [i, []]));
  if (ids.length) for (const t of all<LinkRow>(inList(tagsSql, ids.length), ...ids)) out.get(t.from_id)?.push(t.to_id);
  return out;
}

const app = express();
app.disable('x-powered-by');
app.set('etag', false);

app.get('/health', (_req, res) => json(res, 200, { status: 'ok' }));

const espo = express.Router();
espo.use((req, res, next) => {
  const user = userOf(req.header('x-api-key'));
  if (!user) { res.statusCode = 401; res.end(); return; }
  res.locals.user = user;
  next();
});
espo.get('/Contact/:id', (req: Request, res: Response) => {
  const rec = fullEspo(parseHex(req.params.id));
  if (rec) json(res, 200, rec); else json(res, 404, {});
});
espo.get('/Contact', (req: Request, res: Response) => {
  const last = String(req.query['where[0][value]'] ?? '').toLowerCase();
  const rows = all<Row>(sql.espoPage, last); // maxSize=20 is the only page size the bench asks for
  attachNames(rows);
  const points = pointsByRecord(rows.map((r) => r.id as number));
  const total = (get(sql.espoCount, last) as { n: number }).n;
  json(res, 200, { total, list: rows.map((r) => espoContact(r, points.get(r.id as number)!)) });
});
espo.post('/Contact', express.json(), (req: Request, res: Response) => {
  const b = req.body as Record<string, string | undefined>;
  const userId = res.locals.user.id as number;
  const accountId = b.accountId ? parseHex(b.accountId) : null;
  const rec = db.transaction(() => {
    if (accountId !== null && !(get(sql.accountAlive, accountId) as { n: number }).n) return undefined;
    const id = (get(sql.nextId) as { value: number }).value;
    const number = (get(sql.nextNumber) as { value: number }).value;
    const now = nowStamp();
    const name = [b.firstName, b.lastName].filter(Boolean).join(' ') || null;
    run(sql.insert, id, now, now, userId, number, name, b.emailAddress ?? null, b.firstName ?? null, b.lastName ?? null, b.title ?? null, accountId);
    if (b.emailAddress) run(sql.insertPoint, id, b.emailAddress, b.emailAddress.toLowerCase());
    if (accountId !== null) run(sql.insertLink, id, accountId, b.title ?? null, Date.now());
    return fullEspo(id);
  }).immediate();
  if (rec) json(res, 200, rec); else json(res, 400, { messageTranslation: { label: 'validationFailure' } });
});
espo.put('/Contact/:id', express.json(), (req: Request, res: Response) => {
  const id = parseHex(req.params.id);
  const title = (req.body as { title?: string }).title ?? null;
  const rec = db.transaction(() => {
    const before = get(sql.oneAlive, id) as Row | undefined;
    if (!before) return undefined;
    if (before.title !== title) {
      run(sql.update, title, nowStamp(), res.locals.user.id, id);
      if (before.account_id !== null) run(sql.updateRole, title, id, before.account_id);
    }
    return fullEspo(id);
  }).immediate();
  if (rec) json(res, 200, rec); else json(res, 404, {});
});
app.use('/api/v1', espo);

const ra = express.Router();
ra.use((req, res, next) => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
  const user = m ? userOf(m[1]) : undefined;
  if (!user) { json(res, 401, { error: 'Unauthorized' }); return; }
  next();
});
ra.get('/contacts/:id', (req: Request, res: Response) => {
  const id = Number(req.params.id);
  const row = get(sql.oneAlive, id) as Row | undefined;
  if (!row) { json(res, 404, { error: 'Not found' }); return; }
  json(res, 200, raContact(row, pointsByRecord([id]).get(id)!, tagsByRecord([id]).get(id)!));
});
ra.get('/contacts', (req: Request, res: Response) => {
  const filter = JSON.parse(String(req.query.filter ?? '{}')) as { last_name?: string };
  const rows = all<Row>(sql.raPage, filter.last_name ?? null, filter.last_name ?? null); // range=[0,19] is the only page the bench asks for
  const ids = rows.map((r) => r.id as number);
  const points = pointsByRecord(ids);
  const tags = tagsByRecord(ids);
  const total = (get(sql.raCount, filter.last_name ?? null, filter.last_name ?? null) as { n: number }).n;
  res.setHeader('Content-Range', `contacts 0-${rows.length - 1}/${total}`);
  res.setHeader('X-Total-Count', String(total));
  json(res, 200, rows.map((r) => raContact(r, points.get(r.id as number)!, tags.get(r.id as number)!)));
});
app.use('/api', ra);

const server = http.createServer(app);
server.listen(Number(values.port ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => { server.close(() => { db.close(); process.exit(0); }); server.closeIdleConnections(); });
