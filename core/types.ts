// The core's public contract: records, the query tree, the commands. Dialects speak only this.
import type { Registry } from './schema/registry';

export type Id = number;

/**
 * A record as the core hands it out: canonical field names, values in canonical form:
 * string | number | boolean | null; date 'YYYY-MM-DD'; datetime 'YYYY-MM-DD HH:MM:SS' (UTC, whole seconds);
 * link -> id | null; links -> Id[] (when loaded); multienum -> string[]; parent -> `<x>_id` + `<x>_type`.
 * Contact points (entities with emails/phones): `emails`/`phones` lists (when loaded) and the slot fields
 * (`email`, `email_2`, `email_opt_out`, `phone`, `phone_office`, `phone_mobile`, `phone_home`, `phone_fax`,
 * `phone_other`), derived from the lists; `email` and `phone` (slot 0) are always present.
 * `$names` holds the display names of linked records when asked for (link: string, links: {id: name}),
 * `$columns` the relation columns of links fields ({field: {targetId: {role, is_inactive, status}}}).
 */
export interface Rec {
  id: Id;
  [field: string]: unknown;
  $names?: Record<string, string | null | Record<string, string | null>>;
  $columns?: Record<string, Record<string, LinkColumns>>;
}

export interface LinkColumns { role?: string | null; is_inactive?: boolean | null; status?: string | null }

export interface EmailEntry { address: string; type?: string | null; opt_out?: boolean; invalid?: boolean }
export interface PhoneEntry { number: string; type?: string | null; opt_out?: boolean; invalid?: boolean }

export type Op =
  | 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'between'
  | 'contains' | 'notContains' | 'startsWith' | 'endsWith' | 'like' | 'notLike'
  | 'isNull' | 'isNotNull'
  // multienum (and links given as a field): the stored list contains any / all / none of value[]
  | 'hasAny' | 'hasAll' | 'hasNone' | 'isEmpty' | 'isNotEmpty';

export type LinkOp = 'linkedWith' | 'notLinkedWith' | 'linkedWithAll' | 'isLinked' | 'isNotLinked' | 'linkedWhere';

/**
 * The query tree. `field` is a canonical field name of the entity, or one of the pseudo fields
 * `emails` (any of the record's addresses, compared lower-cased) and `phones` (any number).
 * `link` names a relation as `<entity>.<field>` (a link or links field); it may point either way:
 * `contact.account_id` on account means "accounts having these contacts".
 * `{link, op: 'linkedWhere', where}`: some related record matches `where` (a condition on the other entity).
 * `{and: []}` is TRUE, `{or: []}` is FALSE.
 */
export type Where =
  | { and: Where[] }
  | { or: Where[] }
  | { not: Where }
  | { field: string; op: Op; value?: unknown }
  | { link: string; op: LinkOp; value?: Id[]; where?: Where };

/** How a dialect's CRM reads comparisons (mapping.md C7); the compiler renders the same meaning on every database. */
export interface Semantics {
  negationMatchesNull?: boolean;   // ne / nin / notContains / notLike also match NULL (Spotler: true)
  caseInsensitiveEquals?: boolean; // string eq / ne / in / nin ignore case
  caseSensitiveLike?: boolean;     // contains / startsWith / endsWith / like are case-sensitive (default: not)
  rawLikePatterns?: boolean;       // % and _ in contains/startsWith/endsWith values act as wildcards (EspoCRM)
}

export interface SortKey { field: string; dir: 'asc' | 'desc' }

export interface Query {
  where?: Where;
  sort?: SortKey[];                // `id` in the last key's direction is always appended as the tie-breaker
  offset?: number;
  limit?: number;                  // undefined = no limit
  select?: string[];               // canonical field names to load (id always); undefined = every column
  count?: boolean;                 // also return the total matching (ignoring offset/limit)
  deleted?: 'exclude' | 'include' | 'only';
  names?: boolean | string[];      // load $names for these link / links fields (true = every link)
  links?: boolean | string[];      // load links fields (Id[]) and their $columns (true = every links field)
  contactPoints?: boolean;         // load `emails` / `phones` lists and every slot
  semantics?: Semantics;
  /**
   * Computed counts of related records, as correlated sub-selects: `{nb_deals: {link: 'opportunity.account_id'}}`
   * adds `nb_deals` to every record; `where` narrows the counted records; sort keys may name an alias.
   */
  counts?: Record<string, { link: string; where?: Where }>;
}

export interface FindResult { records: Rec[]; total?: number }

export interface User {
  id: Id;
  user_name: string;
  name: string | null;
  is_admin: boolean;
  is_active: boolean;
  email: string | null;
}

export interface Ctx { user: User }

/**
 * What a presented API key names, told apart so that each dialect can answer as its CRM does (EspoCRM: 401 for
 * both; react-admin: 403 for a disabled account). `hmacSecret` is set only when the key was checked for HMAC use.
 */
export type KeyCheck =
  | { status: 'unknown' }
  | { status: 'disabled'; user: User }
  | { status: 'active'; user: User; hmacSecret: string | null };

/** How a key is presented: as itself (X-Api-Key, Bearer, Basic), or as the key half of a signed HMAC header. */
export type KeyUse = 'plain' | 'hmac';

/**
 * Canonical field values to write. `$columns`, shaped as Rec.$columns, sets relation columns of links rows: new links
 * take them when added, existing ones are updated where a value changes, targets not in the list are ignored.
 */
export type Patch = Record<string, unknown>;

export interface MassTarget { ids?: Id[]; where?: Where; semantics?: Semantics }

export interface ConvertLeadInput {
  account?: Patch | null;          // create an account from these values (merged over the lead's)
  contact?: Patch | null;
  opportunity?: Patch | null;
  accountId?: Id | null;           // use this existing account instead of creating one
}

export interface ConvertLeadResult { lead: Rec; account: Rec | null; contact: Rec | null; opportunity: Rec | null }

export interface Changes { updated: Rec[]; deleted: { id: Id; deleted_at: string }[] }

export type JobStatus = 'pending' | 'running' | 'success' | 'failed';

/** A background job (EspoCRM's idle mass action), as stored. */
export interface Job {
  id: Id;
  kind: string;                    // what it does, e.g. 'mass_action'
  user_id: Id;                     // who started it: only they (or an administrator) may read it
  status: JobStatus;
  processed_count: number | null;  // what the work answered, once it succeeded
  error: string | null;            // why it failed, for the operator (dialects do not show it)
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface CoreApi {
  readonly registry: Registry;
  readonly dbKind: 'sqlite' | 'pg';

  find(entity: string, query: Query, ctx: Ctx): Promise<FindResult>;
  count(entity: string, where: Where | undefined, ctx: Ctx, semantics?: Semantics): Promise<number>;
  /** One record with links, names, columns and contact points; NotFound if absent (or deleted, unless withDeleted). */
  get(entity: string, id: Id, ctx: Ctx, opts?: { withDeleted?: boolean }): Promise<Rec>;
  /** Which entity an id belongs to (ids are global), or null. */
  entityOf(id: Id): Promise<string | null>;

  create(entity: string, data: Patch, ctx: Ctx): Promise<Rec>;
  /**
   * Runs several core calls as one transaction: the writes inside join it, and a throw undoes them all. `work`
   * may await only core calls (on SQLite nothing else may run while the transaction is open).
   */
  atomically<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Patch a record. `patch` may be a function of the stored record, called inside the transaction, so a dialect
   * that derives its patch from the current values (EspoCRM's R1 no-op check) reads the record once, not twice.
   * The write happens only if the record still has the `version_number` it was read with; when another writer came
   * first (PostgreSQL), the record is read again and the function called again: it may run more than once.
   */
  update(entity: string, id: Id, patch: Patch | ((before: Rec) => Patch), ctx: Ctx): Promise<Rec>;
  /** Every writable field not in `data` becomes null / default. */
  replace(entity: string, id: Id, data: Patch, ctx: Ctx): Promise<Rec>;
  delete(entity: string, id: Id, ctx: Ctx, opts?: { hard?: boolean }): Promise<Rec>;
  restore(entity: string, id: Id, ctx: Ctx): Promise<Rec>;

  /** Relate `targetIds` through link `<entity>.<field>` seen from `entity` (either side). Returns how many were new. */
  link(entity: string, id: Id, link: string, targetIds: Id[], ctx: Ctx, columns?: LinkColumns): Promise<number>;
  unlink(entity: string, id: Id, link: string, targetIds: Id[], ctx: Ctx): Promise<number>;

  /** `patch` may be a function of each stored record (EspoCRM's add / remove on a list field). */
  massUpdate(entity: string, target: MassTarget, patch: Patch | ((before: Rec) => Patch), ctx: Ctx): Promise<{ count: number; ids: Id[] }>;
  massDelete(entity: string, target: MassTarget, ctx: Ctx): Promise<{ count: number; ids: Id[] }>;
  /** The winner takes the losers' links, children, tags, emails and phones; losers are deleted. */
  merge(entity: string, winnerId: Id, loserIds: Id[], ctx: Ctx): Promise<Rec>;
  convertLead(leadId: Id, input: ConvertLeadInput, ctx: Ctx): Promise<ConvertLeadResult>;

  tagAdd(id: Id, tagNames: string[], ctx: Ctx): Promise<void>;
  tagRemove(id: Id, tagNames: string[], ctx: Ctx): Promise<void>;
  changesSince(entity: string, since: string, ctx: Ctx): Promise<Changes>;

  /**
   * Records a job of the acting user and runs `work` once the current request has been answered; the count it
   * returns, or its failure, is stored on the job. A failing job never throws into the process.
   */
  startJob(kind: string, work: () => Promise<number>, ctx: Ctx): Promise<Job>;
  /** A job the acting user started (an administrator: any job); NotFound or Forbidden otherwise. */
  job(id: Id, ctx: Ctx): Promise<Job>;

  /** A run-time entity / field (Corteza module, react-admin custom object): persisted, seen by every dialect. */
  defineEntity(def: import('./schema/types').EntityDef): Promise<import('./schema/types').EntityDef>;
  defineField(entity: string, def: import('./schema/types').FieldDef): Promise<void>;

  /** The active user whose plain API key this is, or null (unknown key, disabled user, or a key kept for HMAC). */
  authenticate(apiKey: string): Promise<User | null>;
  /**
   * Unknown / disabled / active for a key used plainly or for HMAC, from one look-up (cached 2 s). A key that has
   * an HMAC secret is accepted only for HMAC, and a key without one only plainly (as EspoCRM's per-user auth method):
   * the HMAC header carries the key in base64, so accepting it plainly would let anyone who saw one request in.
   */
  checkKey(apiKey: string, use?: KeyUse): Promise<KeyCheck>;
  /** The user with this user name whose API key is `secret`, or null. */
  authenticateBasic(userName: string, secret: string): Promise<User | null>;
}
