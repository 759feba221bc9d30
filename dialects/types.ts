// What a dialect is: a name, where it mounts, and a router factory over the core.
import type { RequestHandler, Response } from 'express';
import type { CoreApi, User } from '../core/types';

export interface DialectContext {
  core: CoreApi;
  /** false with --no-auth: every request acts as the administrator. */
  authRequired: boolean;
  /** The built-in administrator (acting user when auth is off). */
  admin: User;
  /** Max JSON body size, e.g. '1mb'. */
  bodyLimit: string;
  /** Reports a fault the dialect answered with a 5xx (logged with the request id; never sent to the client). */
  fault?: (err: unknown, res: Response) => void;
}

export interface Dialect {
  name: string;          // 'espo', 'react-admin', ...
  title: string;         // 'EspoCRM'
  basePaths: string[];   // default mounts on the main port, e.g. ['/api/v1']
  /** The dialect's whole HTTP surface under its mount, as one handler (an express Router is one too). */
  router(ctx: DialectContext): RequestHandler;
  /**
   * The router reads of a request only node's own fields and `path`, `query`, `params`, `body`, and of a response
   * only node's own and `locals`: the gateway may call it without express (gateway/front-door.ts).
   */
  bare?: boolean;
}
