// EspoCRM REST API (`/api/v1`): records, lists with where/select/order, relationships, mass actions, lead conversion.
// Wire reference: spec/espocrm.md (names and value formats: spec/mapping.md).
import type { Dialect } from '../types';
import { espoRouter } from './routes';

export const espo: Dialect = {
  name: 'espo',
  title: 'EspoCRM',
  basePaths: ['/api/v1'],
  router: espoRouter,
  bare: true,
};
