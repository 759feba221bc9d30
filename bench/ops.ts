// The measured operations. Gateway and baseline serve the same paths, so one definition drives both; each run of an
// operation draws its ids, names and bodies from a PRNG with a fixed seed, so both servers get the same sequence.
import { API_KEY, LAST_NAMES, rng, type BenchInfo } from './seed';

export interface Call { path: string; body?: string }

export interface Op {
  key: string;
  label: string;
  dialect: 'espo' | 'react-admin';
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  /** A fresh request generator: the same seed gives the same ids and names; `tag` makes written values unique. */
  calls(seed: number, tag: string): () => Call;
  /** What a good answer looks like (checked once per server before the load); a message when it is not. */
  check(status: number, body: string, headers: Headers): string | undefined;
}

const espoHeaders = { 'X-Api-Key': API_KEY, Accept: 'application/json' };
const raHeaders = { Authorization: `Bearer ${API_KEY}`, Accept: 'application/json' };
const espoId = (n: number) => n.toString(16).padStart(17, '0');

function expect200(status: number, body: string, has: string): string | undefined {
  if (status !== 200) return `status ${status}: ${body.slice(0, 200)}`;
  return body.includes(has) ? undefined : `no ${has} in ${body.slice(0, 200)}`;
}

export function espoOps(info: BenchInfo): Op[] {
  const span = info.lastContactId - info.firstContactId + 1;
  const anyId = (r: () => number) => info.firstContactId + Math.floor(r() * span);
  const json = { ...espoHeaders, 'Content-Type': 'application/json' };
  return [
    {
      key: 'get', label: 'EspoCRM GET /Contact/{id}', dialect: 'espo', method: 'GET', headers: espoHeaders,
      calls: (seed) => { const r = rng(seed); return () => ({ path: `/api/v1/Contact/${espoId(anyId(r))}` }); },
      check: (s, b) => expect200(s, b, '"emailAddressData"'),
    },
    {
      key: 'list', label: 'EspoCRM GET /Contact?where lastName (20 + total)', dialect: 'espo', method: 'GET', headers: espoHeaders,
      calls: (seed) => {
        const r = rng(seed);
        return () => ({
          path: `/api/v1/Contact?where%5B0%5D%5Btype%5D=equals&where%5B0%5D%5Battribute%5D=lastName&where%5B0%5D%5Bvalue%5D=${
            encodeURIComponent(LAST_NAMES[Math.floor(r() * LAST_NAMES.length)])}&maxSize=20`,
        });
      },
      check: (s, b) => expect200(s, b, '"total":'),
    },
    {
      key: 'create', label: 'EspoCRM POST /Contact', dialect: 'espo', method: 'POST',
      headers: { ...json, 'X-Skip-Duplicate-Check': 'true' },
      calls: (seed, tag) => {
        const r = rng(seed); let n = 0;
        return () => {
          n++;
          const last = LAST_NAMES[Math.floor(r() * LAST_NAMES.length)];
          return {
            path: '/api/v1/Contact',
            body: JSON.stringify({ firstName: 'Bench', lastName: last, emailAddress: `bench.${tag}.${n}@example.com`,
              accountId: espoId(2 + Math.floor(r() * 1000)), title: 'Buyer' }),
          };
        };
      },
      check: (s, b) => expect200(s, b, '"accountsIds":['),
    },
    {
      key: 'update', label: 'EspoCRM PUT /Contact/{id} (title)', dialect: 'espo', method: 'PUT', headers: json,
      calls: (seed, tag) => {
        const r = rng(seed); let n = 0;
        return () => ({ path: `/api/v1/Contact/${espoId(anyId(r))}`, body: JSON.stringify({ title: `Title ${tag}-${++n}` }) });
      },
      check: (s, b) => expect200(s, b, '"title":"Title '),
    },
  ];
}

/** Hook for the react-admin dialect (`/api`): run.ts adds these rows only when gateway/dialects.ts lists it. */
export function reactAdminOps(info: BenchInfo): Op[] {
  const span = info.lastContactId - info.firstContactId + 1;
  return [
    {
      key: 'ra-get', label: 'react-admin GET /contacts/{id}', dialect: 'react-admin', method: 'GET', headers: raHeaders,
      calls: (seed) => { const r = rng(seed); return () => ({ path: `/api/contacts/${info.firstContactId + Math.floor(r() * span)}` }); },
      check: (s, b) => expect200(s, b, '"email_jsonb"'),
    },
    {
      key: 'ra-list', label: 'react-admin GET /contacts?filter last_name (Content-Range)', dialect: 'react-admin', method: 'GET', headers: raHeaders,
      calls: (seed) => {
        const r = rng(seed);
        return () => ({
          path: `/api/contacts?filter=${encodeURIComponent(JSON.stringify({ last_name: LAST_NAMES[Math.floor(r() * LAST_NAMES.length)] }))}&range=${encodeURIComponent('[0,19]')}`,
        });
      },
      check: (s, b, h) => expect200(s, b, '"last_name"') ?? (/^contacts 0-19\/\d+$/.test(h.get('content-range') ?? '') ? undefined : `Content-Range '${h.get('content-range')}'`),
    },
  ];
}
