// Users and their API keys. Keys are stored as SHA-256 hashes; the administrator is the first user (id 1).
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

function toUser(row: Record<string, unknown>): User {
  return {
    id: Number(row.id), user_name: String(row.user_name), name: (row.name as string | null) ?? null,
    is_admin: row.is_admin === true || row.is_admin === 1, is_active: row.is_active !== false && row.is_active !== 0,
    email: (row.email as string | null) ?? null,
  };
}

const USER_COLS = 'u.id, u.user_name, u.name, u.is_admin, u.is_active, u.email';

export async function userByKey(db: Db, key: string): Promise<User | null> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT ${USER_COLS} FROM ${API_KEY_TABLE} k JOIN ${tableOf('user')} u ON u.id = k.user_id WHERE k.key_hash = ? AND u.deleted_at IS NULL`,
    [hashKey(key)]);
  const u = rows[0] && toUser(rows[0]);
  return u && u.is_active ? u : null;
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

export async function setApiKey(db: Db, userId: Id, key: string): Promise<void> {
  await db.run(`DELETE FROM ${API_KEY_TABLE} WHERE user_id = ?`, [userId]);
  await db.run(`INSERT INTO ${API_KEY_TABLE} (key_hash, user_id, created_at) VALUES (?, ?, ?)`, [hashKey(key), userId, nowStamp()]);
}

export async function getMeta(db: Db, key: string): Promise<string | null> {
  const rows = await db.all<{ value: string }>(`SELECT value FROM ${META_TABLE} WHERE key = ?`, [key]);
  return rows[0]?.value ?? null;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db.run(`INSERT INTO ${META_TABLE} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
}
