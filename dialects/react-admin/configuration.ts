// `configuration`: one settings record, always id 1 on the wire (react-admin.md §3.3, §4.1; mapping.md §3.1).
// The lists react-admin reads (dealStages, taskTypes, noteStatuses, companySectors, dealCategories) default to the
// canonical picklists through this dialect's maps; a PUT replaces the stored `config` object whole, and stored keys
// win over those defaults. Stored in the run-time entity `settings` (field `config`, JSON text).
import type { CoreApi, Ctx } from '../../core/types';
import type { Registry } from '../../core/schema/registry';
import { SETTINGS_ENTITY } from './names';
import { taskTypeChoices } from './fields-special';
import { validationFailed, WireError } from './render';

export const CONFIGURATION_ID = 1;

const label = (v: string) => v.charAt(0).toUpperCase() + v.slice(1).replace(/-/g, ' ');
const NOTE_COLORS: Record<string, string> = { cold: '#7dbde8', warm: '#e8cb7d', hot: '#e88b7d', 'in-contract': '#a4e87d' };

function choices(registry: Registry, picklist: string): { value: string; label: string }[] {
  return (registry.picklist(picklist)?.values ?? []).map((v) => ({ value: v, label: v }));
}

/** The configuration a new store starts with, from the canonical picklists. */
export function defaultConfig(registry: Registry): Record<string, unknown> {
  return {
    title: 'CRM',
    currency: 'USD',
    dealStages: choices(registry, 'opportunity_stage'),
    dealPipelineStatuses: ['Closed Won'],
    dealCategories: choices(registry, 'opportunity_type'),
    companySectors: choices(registry, 'industry'),
    noteStatuses: (registry.picklist('contact_status')?.values ?? []).map((v) => ({ value: v, label: label(v), color: NOTE_COLORS[v] ?? '#cccccc' })),
    taskTypes: taskTypeChoices(registry).map((v) => ({ value: v, label: label(v) })),
  };
}

async function storedRow(core: CoreApi, ctx: Ctx): Promise<{ id: number; config: Record<string, unknown> } | undefined> {
  if (!core.registry.has(SETTINGS_ENTITY)) return undefined;
  const found = await core.find(SETTINGS_ENTITY, { sort: [{ field: 'id', dir: 'asc' }], limit: 1 }, ctx);
  const rec = found.records[0];
  if (!rec) return undefined;
  let config: unknown = {};
  try { config = JSON.parse(String(rec.config ?? '{}')); } catch { config = {}; }
  return { id: rec.id, config: typeof config === 'object' && config !== null && !Array.isArray(config) ? config as Record<string, unknown> : {} };
}

export async function readConfiguration(core: CoreApi, ctx: Ctx): Promise<Record<string, unknown>> {
  const row = await storedRow(core, ctx);
  return { id: CONFIGURATION_ID, config: { ...defaultConfig(core.registry), ...(row?.config ?? {}) } };
}

/** PUT / POST: `{config: {...}}` replaces the stored object whole. */
export async function writeConfiguration(core: CoreApi, ctx: Ctx, body: unknown): Promise<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WireError(400, 'Invalid JSON body', 'VALIDATION_FAILED');
  const config = (body as Record<string, unknown>).config;
  if (config === undefined) throw new WireError(400, 'No writable fields to update', 'VALIDATION_FAILED');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw validationFailed({ config: 'Expected object' });
  const row = await storedRow(core, ctx);
  const text = JSON.stringify(config);
  if (row) await core.update(SETTINGS_ENTITY, row.id, { config: text }, ctx);
  else await core.create(SETTINGS_ENTITY, { config: text }, ctx);
  return readConfiguration(core, ctx);
}
