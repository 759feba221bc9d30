// The gateway's request listener. Every request gets its id here; a request under the prefix of a bare dialect
// (one whose handler needs nothing express adds, see Dialect.bare) goes straight to that handler, everything else
// through the express app. Express's own work per request (prototype swaps, settings look-ups, a router walk, a
// final-handler closure) cost about as much as a whole read by id, and a hand-written express server is what
// the benchmark holds the gateway to.
import type http from 'node:http';
import type { Request, RequestHandler, Response } from 'express';

export interface BareMount { prefix: string; handler: RequestHandler }

/** What a bare handler may read besides node's own request: as express would set it for a mounted router. */
interface BareRequest extends http.IncomingMessage {
  originalUrl: string; baseUrl: string; path: string; query: unknown; params: Record<string, string>;
}

/** The part of `url` under `prefix` ('' for the prefix itself), or undefined when the url is not under it. */
export function underPrefix(url: string, prefix: string): string | undefined {
  if (!prefix) return url;
  if (!url.startsWith(prefix)) return undefined;
  if (url.length === prefix.length) return '';
  const next = url.charCodeAt(prefix.length);
  return next === 47 /* / */ || next === 63 /* ? */ ? url.slice(prefix.length) : undefined;
}

/** A request target in absolute form (`http://host/api/v1/...`, as sent through a proxy) as its path and query. */
export function originForm(url: string): string {
  if (url.charCodeAt(0) === 47 /* / */) return url;
  const m = /^https?:\/\/[^/?#]*(.*)$/i.exec(url);
  return m ? (m[1].startsWith('/') ? m[1] : `/${m[1]}`) : url;
}

export interface FrontDoor {
  express: http.RequestListener;
  bare: BareMount[];
  parseQuery: (search: string) => unknown;
  /** Called first for every request (request id, request log). */
  begin: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

export function frontDoor(f: FrontDoor): http.RequestListener {
  return (req, res) => {
    f.begin(req, res);
    const url = originForm(req.url ?? '/');
    if (!url.startsWith('/_gateway/')) {
      for (const m of f.bare) {
        const rest = underPrefix(url, m.prefix);
        if (rest === undefined) continue;
        const r = req as BareRequest;
        const q = rest.indexOf('?');
        r.originalUrl = url;
        r.baseUrl = m.prefix;
        r.path = (q < 0 ? rest : rest.slice(0, q)) || '/';
        r.query = q < 0 ? {} : f.parseQuery(rest.slice(q + 1));
        r.params = {};
        m.handler(req as unknown as Request, res as Response, () => undefined);
        return;
      }
    }
    f.express(req, res);
  };
}
