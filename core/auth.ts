// Who a request is: an API key (used plainly or for HMAC) -> unknown, disabled or active user, answered from a
// short-lived cache; and new users with their keys. The SQL is in users.ts.
import type { Db } from './store/db';
import type { Id, KeyCheck, KeyUse, User } from './types';
import { BadRequestError } from './errors';
import { type KeyHolder, keyHolder, newApiKey, newHmacSecret, setApiKey, userById, userByName } from './users';

/** How long a key look-up is reused: a key revoked or a user disabled in another process is refused within it. */
const KEY_CACHE_MS = 2000;
const KEY_CACHE_MAX = 1000;

/** The policy of `CoreApi.checkKey`: an HMAC key only signed, a plain key only plainly, then the user's state. */
export function checkHolder(holder: KeyHolder | null, use: KeyUse): KeyCheck {
  if (!holder || (use === 'hmac') !== (holder.hmacSecret !== null)) return { status: 'unknown' };
  if (!holder.user.is_active) return { status: 'disabled', user: holder.user };
  return { status: 'active', user: holder.user, hmacSecret: use === 'hmac' ? holder.hmacSecret : null };
}

export interface NewUser {
  admin?: boolean;
  key?: string;              // else generated
  firstName?: string;
  lastName?: string;
  hmac?: boolean;            // give the key a generated HMAC secret
  hmacSecret?: string;       // ... or this one (tests, a secret agreed with a client)
}

/** Inserts the user record through the core's write path and returns its id. */
export type InsertUser = (values: Record<string, unknown>) => Promise<Id>;

export class KeyRegistry {
  /**
   * Keys seen in the last 2 s are answered from memory: the hash and the look-up would otherwise be a large part
   * of a simple read. One entry per presented key, whatever it names (unknown keys too: a client retrying a bad
   * key should not cost a query each time).
   */
  private readonly cache = new Map<string, { holder: KeyHolder | null; until: number }>();
  /** Bumped by every write to users or keys in this process; a look-up that raced a write is not cached. */
  private generation = 0;

  constructor(private readonly db: Db) {}

  async check(apiKey: string, use: KeyUse = 'plain'): Promise<KeyCheck> {
    const now = Date.now();
    const hit = this.cache.get(apiKey);
    if (hit && hit.until > now) return checkHolder(hit.holder, use);
    const generation = this.generation;
    const holder = await keyHolder(this.db, apiKey);
    if (generation === this.generation) {
      if (this.cache.size >= KEY_CACHE_MAX) this.cache.clear();
      this.cache.set(apiKey, { holder, until: now + KEY_CACHE_MS });
    }
    return checkHolder(holder, use);
  }

  async authenticate(apiKey: string): Promise<User | null> {
    const c = await this.check(apiKey);
    return c.status === 'active' ? c.user : null;
  }

  /** Users or keys changed here: forget every cached look-up. */
  forget(): void {
    this.generation++;
    this.cache.clear();
  }

  /** A new user with an API key, and an HMAC secret when asked for (CLI `users add`). */
  async createUser(userName: string, opts: NewUser, insert: InsertUser): Promise<{ user: User; key: string; hmacSecret?: string }> {
    if (await userByName(this.db, userName)) throw new BadRequestError(`User '${userName}' exists.`, 'user_name');
    const key = opts.key ?? newApiKey();
    const hmacSecret = opts.hmacSecret ?? (opts.hmac ? newHmacSecret() : undefined);
    const id = await this.db.transaction(async () => {
      const created = await insert({
        user_name: userName, first_name: opts.firstName ?? null, last_name: opts.lastName ?? userName,
        is_admin: !!opts.admin, is_active: true, type: opts.admin ? 'admin' : 'regular',
      });
      await setApiKey(this.db, created, key, hmacSecret ?? null);
      return created;
    });
    this.forget();
    return { user: (await userById(this.db, id))!, key, ...(hmacSecret && { hmacSecret }) };
  }
}
