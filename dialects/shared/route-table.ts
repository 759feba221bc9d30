// A dialect's routes as one table matched by path segments. It stands in for a chain of express routes: express
// tests each layer's regular expression in turn and runs a `next` closure per layer, which on the hot path cost
// as much as the dialect's own work. The meaning is express's: first match wins, `:name` is one non-empty
// segment (percent-decoded), a trailing slash is allowed, literals match case-sensitively, HEAD is served as GET,
// and a path that matches with another method goes on to the next route.
import type { Request, Response } from 'express';

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
