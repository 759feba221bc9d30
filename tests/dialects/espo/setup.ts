// What the EspoCRM parser tests share: the registry (with one run-time multi-enum field), a fixed now, the list parser.
import { loadRegistry } from '../../../core/schema/load';
import type { Where } from '../../../core/types';
import { parseListParams, type ListOptions } from '../../../dialects/espo/query';

export const registry = loadRegistry();
registry.addField('lead', { name: 'interests', type: 'multienum', picklist: 'industry', custom: true });

export const NOW = new Date('2026-05-13T15:30:45.678Z'); // a Wednesday
export const TRUE: Where = { and: [] };
export const FALSE: Where = { or: [] };

export const list = (entity: string, raw: Record<string, unknown>, kind?: string, headers = {}, opts: ListOptions = {}) =>
  parseListParams(registry, entity, kind, raw, headers, { now: NOW, ...opts });
