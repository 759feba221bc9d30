// A dialect's routes as one table matched by path segments. It stands in for a chain of express routes: express
// tests each layer's regular expression in turn and runs a `next` closure per layer, which on the hot path cost
// as much as the dialect's own work. The meaning is express's: first match wins, `:name` is one non-empty
// segment (percent-decoded), a trailing slash is allowed, literals match case-sensitively, HEAD is served as GET,
// and a path that matches with another method goes on to the next route.
import type { Request, RequestHandler, Response } from 'express';

export type RouteHandler = (req: Request, res: Response) => Promise<unknown> | unknown;

interface Route { methods: ReadonlySet<string>; parts: readonly string[]; params: readonly (string | null)[]; handler: RouteHandler }

export interface RouteMatch { handler: RouteHandler; params: Record<string, string> }

/** A segment that is not valid percent-encoding (express answers these 400). */
export class BadPathError extends Error {
  constructor(readonly segment: string) { super(`Bad path segment '${segment}'.`); }
}

/** The segments of a request path: `/A/b/` -> ['A', 'b']; an empty inner segment stays (and matches nothing). */
export function segmentsOf(path: string): string[] {
  const parts = path.split('/');
  parts.shift();
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export class RouteTable {
  private readonly byLength = new Map<number, Route[]>();

  /** `methods`: 'GET' or 'GET,POST'; `pattern`: '/{literal or :param}/...'. */
  add(methods: string, pattern: string, handler: RouteHandler): this {
    const segs = segmentsOf(pattern);
    const route: Route = {
      methods: new Set(methods.split(',').map((m) => m.trim().toUpperCase())),
      parts: segs.map((s) => (s.startsWith(':') ? '' : s)),
      params: segs.map((s) => (s.startsWith(':') ? s.slice(1) : null)),
      handler,
    };
    const list = this.byLength.get(segs.length) ?? [];
    list.push(route);
    this.byLength.set(segs.length, list);
    return this;
  }

  /** The first route matching the method and path, with its params; undefined when none does. Throws BadPathError. */
  match(method: string, path: string): RouteMatch | undefined {
    const segs = segmentsOf(path);
    const routes = this.byLength.get(segs.length);
    if (!routes) return undefined;
    const verb = method === 'HEAD' ? 'GET' : method;
    for (const r of routes) {
      if (!r.methods.has(verb) || !fits(r, segs)) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < segs.length; i++) {
        const name = r.params[i];
        if (name !== null) params[name] = decode(segs[i]);
      }
      return { handler: r.handler, params };
    }
    return undefined;
  }
}

function fits(r: Route, segs: string[]): boolean {
  for (let i = 0; i < segs.length; i++) {
    const lit = r.parts[i];
    if (lit ? segs[i] !== lit : segs[i] === '') return false;
  }
  return true;
}

function decode(seg: string): string {
  if (!seg.includes('%')) return seg;
  try {
    return decodeURIComponent(seg);
  } catch {
    throw new BadPathError(seg);
  }
}

export interface TableHandler {
  /** Run in order before the table, connect-style: each calls next() to go on, next(err) to fail, or answers. */
  steps: RequestHandler[];
  table: RouteTable;
  notFound: (req: Request, res: Response) => void;
  /** Renders any error in the dialect's shape (a BadPathError included). Headers already sent: the response ends. */
  fail: (err: unknown, req: Request, res: Response) => void;
}

/** A dialect's whole surface as one handler: the steps, then the first matching route, else notFound. */
export function tableHandler(t: TableHandler): RequestHandler {
  return (req, res) => {
    const fail = (err: unknown) => {
      if (res.headersSent) { res.end(); return; }
      t.fail(err, req, res);
    };
    let i = 0;
    const next = (err?: unknown): void => {
      if (err) return fail(err);
      try {
        if (i < t.steps.length) { t.steps[i++](req, res, next); return; }
        if (!runRoute(t.table, req, res, fail)) t.notFound(req, res);
      } catch (e) {
        fail(e);
      }
    };
    next();
  };
}

/** Runs the route of `table` that matches the request, if any (false when none does); a rejection goes to `fail`. */
export function runRoute(table: RouteTable, req: Request, res: Response, fail: (err: unknown) => void): boolean {
  const m = table.match(req.method, req.path);
  if (!m) return false;
  req.params = m.params;
  const out = m.handler(req, res);
  if (out instanceof Promise) out.catch(fail);
  return true;
}
