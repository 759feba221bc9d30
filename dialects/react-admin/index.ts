// react-admin style CRM REST API (BasicsOS `/api/:resource`, as ra-data-simple-rest drives it), mounted at /api.
// Wire reference: spec/react-admin.md (§5 is the contract); names and values: spec/mapping.md (§0, §2, §3, §4, C7, C20).
import type { Dialect } from '../types';
import { reactAdminRouter } from './routes';

export const reactAdmin: Dialect = {
  name: 'react-admin',
  title: 'react-admin',
  basePaths: ['/api'],
  router: reactAdminRouter,
  bare: true,
};

// For benchmarks and tests: the pure list parser and the names.
export { parseList, parseFilter, parseFilters, parseSort, parseRange, SEMANTICS } from './query';
export { resolveResource, pluralSlug } from './names';
export { renderRecord, contentRange } from './render';
