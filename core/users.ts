// Users and their API keys. Keys are stored as SHA-256 hashes; an HMAC secret is stored as it is (the signature
// check needs it, as EspoCRM keeps it). The administrator is the first user (id 1).
import crypto from 'node:crypto';
import type { Db } from './store/db';
import type { Id, User } from './types';
import { API_KEY_TABLE, META_TABLE, tableOf } from './store/tables';
import { nowStamp } from './store/rows';

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function newApiKey(): string {
  return crypto.randomBytes(24).toString('hex');
}

/** 32 hex characters, the form of EspoCRM's generated secret keys. */
export function newHmacSecret(): string {
  return crypto.randomBytes(16).toString('hex');
}

function toUser(row: Record<string, unknown>): User {
  return {
    id: Number(row.id), user_name: String(row.user_name), name: (row.name as string | null) ?? null,
    is_admin: row.is_admin === true || row.is_admin === 1, is_active: row.is_active !== false && row.is_active !== 0,
    email: (row.email as string | null) ?? null,
  };
}

const USER_COLS = 'u.id, u.user_name, u.name, u.is_admin, u.is_active, u.email';

/** The holder of an API key (active or not) and the key's HMAC secret; null for an unknown key or a deleted user. */
export interface KeyHolder { user: User; hmacSecret: string | null }

export async function keyHolder(db: Db, key: string): Promise<KeyHolder | null> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT ${USER_COLS}, k.secret FROM ${API_KEY_TABLE} k JOIN ${tableOf('user')} u ON u.id = k.user_id WHERE k.key_hash = ? AND u.deleted_at IS NULL`,
    [hashKey(key)]);
  if (!rows[0]) return null;
  const secret = rows[0].secret;
  return { user: toUser(rows[0]), hmacSecret: typeof secret === 'string' && secret !== '' ? secret : null };
}

export async function userById(db: Db, id: Id): Promise<User | null> {
  const rows = await db.all<Record<string, unknown>>(`SELECT ${USER_COLS} FROM ${tableOf('user')} u WHERE u.id = ? AND u.deleted_at IS NULL`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function userByName(db: Db, userName: string): Promise<User | null> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT ${USER_COLS} FROM ${tableOf('user')} u WHERE lower(u.user_name) = ? AND u.deleted_at IS NULL`, [userName.toLowerCase()]);
  return rows[0] ? toUser(rows[0]) : null;
}

/** The user's one key (replacing any other), with an HMAC secret or none. */
export async function setApiKey(db: Db, userId: Id, key: string, hmacSecret: string | null = null): Promise<void> {
  await db.run(`DELETE FROM ${API_KEY_TABLE} WHERE user_id = ?`, [userId]);
  await db.run(`INSERT INTO ${API_KEY_TABLE} (key_hash, user_id, created_at, secret) VALUES (?, ?, ?, ?)`,
    [hashKey(key), userId, nowStamp(), hmacSecret]);
}

export interface UserListing { id: Id; user_name: string; is_admin: boolean; is_active: boolean; hmac: boolean }

/** Every live user in id order, and whether its key is an HMAC key (CLI `users list`). */
export async function listUsers(db: Db): Promise<UserListing[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT ${USER_COLS}, (SELECT COUNT(*) FROM ${API_KEY_TABLE} k WHERE k.user_id = u.id AND k.secret IS NOT NULL) AS hmac_keys
     FROM ${tableOf('user')} u WHERE u.deleted_at IS NULL ORDER BY u.id`);
  return rows.map((r) => {
    const u = toUser(r);
    return { id: u.id, user_name: u.user_name, is_admin: u.is_admin, is_active: u.is_active, hmac: Number(r.hmac_keys) > 0 };
  });
}

export async function getMeta(db: Db, key: string): Promise<string | null> {
  const rows = await db.all<{ value: string }>(`SELECT value FROM ${META_TABLE} WHERE key = ?`, [key]);
  return rows[0]?.value ?? null;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db.run(`INSERT INTO ${META_TABLE} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
}
