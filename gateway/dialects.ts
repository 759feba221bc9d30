// Every dialect the gateway serves. Order matters on the main port: more specific mounts come first,
// so /api/v1 (EspoCRM) and /api/crm (Corteza) are matched before react-admin's /api.
import type { Dialect } from '../dialects/types';
import { espo } from '../dialects/espo';
import { reactAdmin } from '../dialects/react-admin';

export const DIALECTS: Dialect[] = [espo, reactAdmin];
