// The route table behaves as the express routes it replaced: first match wins, params decoded, methods filtered.
import { BadPathError, RouteTable, segmentsOf } from '../../../dialects/shared/route-table';

const called: string[] = [];
const mark = (name: string) => () => { called.push(name); };
const table = new RouteTable()
  .add('GET', '/App/user', mark('appUser'))
  .add('GET,POST', '/:entity/action/:action', mark('action'))
  .add('GET', '/:entity/:id', mark('read'))
  .add('PUT,PATCH', '/:entity/:id', mark('update'))
  .add('GET', '/:entity/:id/:link', mark('related'));

function run(method: string, path: string): { name?: string; params?: Record<string, string> } {
  called.length = 0;
  const m = table.match(method, path);
  if (!m) return {};
  m.handler({} as never, {} as never);
  return { name: called[0], params: m.params };
}

test('segments: a trailing slash is dropped, inner empty segments stay', () => {
  expect(segmentsOf('/A/b/')).toEqual(['A', 'b']);
  expect(segmentsOf('/A//b')).toEqual(['A', '', 'b']);
  expect(segmentsOf('/')).toEqual(['']);
});

test('the first matching route wins: a literal route before a param route of the same length', () => {
  expect(run('GET', '/App/user')).toEqual({ name: 'appUser', params: {} });
  expect(run('GET', '/Lead/action/convert')).toEqual({ name: 'action', params: { entity: 'Lead', action: 'convert' } });
  expect(run('GET', '/Lead/abc/contacts')).toEqual({ name: 'related', params: { entity: 'Lead', id: 'abc', link: 'contacts' } });
});

test('literals are case-sensitive', () => {
  expect(run('GET', '/app/user')).toEqual({ name: 'read', params: { entity: 'app', id: 'user' } });
});

test('the method picks among routes of the same path; HEAD is served as GET', () => {
  expect(run('PATCH', '/Lead/1')).toEqual({ name: 'update', params: { entity: 'Lead', id: '1' } });
  expect(run('HEAD', '/Lead/1').name).toBe('read');
  expect(run('DELETE', '/Lead/1')).toEqual({});
  expect(run('PUT', '/Lead/action/x')).toEqual({});
});

test('params are percent-decoded; an empty segment or another length matches nothing', () => {
  expect(run('GET', '/Lead/a%20b').params).toEqual({ entity: 'Lead', id: 'a b' });
  expect(run('GET', '/Lead//x')).toEqual({});
  expect(run('GET', '/Lead/1/2/3/4')).toEqual({});
  expect(run('GET', '/Lead/1/')).toEqual({ name: 'read', params: { entity: 'Lead', id: '1' } });
});

test('bad percent-encoding in a param throws BadPathError', () => {
  expect(() => table.match('GET', '/Lead/%E0%A4%A')).toThrow(BadPathError);
});
