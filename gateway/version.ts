// The package version, read once.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/schema/load';

export const VERSION: string = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')).version;
