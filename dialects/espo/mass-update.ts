// The values of a mass update (espocrm.md §9, EspoCRM's Tools/MassUpdate): `data` is `{values, actions}`, where the
// action of an attribute is `update` (the default), `add` or `remove`; older clients send the attribute map itself.
// `add` / `remove` work on list fields (link-multiple ids, multi-enum) record by record; on other fields, or with a
// null value, they change nothing, and an unknown action is ignored, as in EspoCRM.
import type { Registry } from '../../core/schema/registry';
import type { Patch, Rec } from '../../core/types';
import { attributeNames } from './names';
import { readAttributes } from './input';
import type { EspoTarget } from './target';
import { EspoError, EspoValidationError } from './errors';
import { isObject } from './mass-params';

/** One patch for every record, or a patch worked out from each stored record. */
export type MassPatch = Patch | ((before: Rec) => Patch);

type ListChange = { field: string; add: boolean; items: unknown[] };

/**
 * The patch of an attribute map; undefined when there is nothing to do: no attribute left, or a value failing
 * EspoCRM's rules (EspoCRM then skips every record: count 0).
 */
export function attributesPatch(registry: Registry, target: EspoTarget, values: Record<string, unknown>,
  actions: Record<string, unknown> = {}): MassPatch | undefined {
  let patch: Patch;
  try {
    patch = readAttributes(registry, target, values, { creating: false });
  } catch (e) {
    if (e instanceof EspoValidationError) return undefined;
    throw e;
  }
  const lists = listChanges(registry, target, values, actions, patch);
  if (!Object.keys(patch).length && !lists.length) return undefined;
  if (!lists.length) return patch;
  return (before) => {
    const p = { ...patch };
    for (const { field, add, items } of lists) {
      const current = Array.isArray(before[field]) ? (before[field] as unknown[]) : [];
      p[field] = add ? [...current, ...items.filter((x) => !current.includes(x))] : current.filter((x) => !items.includes(x));
    }
    return p;
  };
}

/** Takes the attributes whose action is not `update` out of `patch`; the `add` / `remove` of list fields are kept aside. */
function listChanges(registry: Registry, target: EspoTarget, values: Record<string, unknown>, actions: Record<string, unknown>,
  patch: Patch): ListChange[] {
  const names = attributeNames(registry, target.entity, target.kind);
  const def = registry.entity(target.entity)!;
  const out: ListChange[] = [];
  for (const [attr, action] of Object.entries(actions)) {
    const field = names.attributes.get(attr);
    if (action === 'update' || !field || !(field in patch)) continue;
    const items = patch[field];
    delete patch[field];
    const listField = ['links', 'multienum'].includes(def.fields[field]?.type ?? '');
    if ((action === 'add' || action === 'remove') && listField && values[attr] !== null && Array.isArray(items)) {
      out.push({ field, add: action === 'add', items });
    }
  }
  return out;
}

/** `data` of `POST /MassAction` with action `update`. */
export function massUpdatePatch(registry: Registry, target: EspoTarget, data: unknown): MassPatch | undefined {
  const d = data === undefined || data === null ? {} : data;
  if (!isObject(d)) throw new EspoError(400, "Bad 'data'.");
  if (!('values' in d)) return attributesPatch(registry, target, d);
  if (!isObject(d.values)) throw new EspoError(400, 'No `values` in mass-action data.');
  if (d.actions !== undefined && d.actions !== null && !isObject(d.actions)) {
    throw new EspoError(400, 'Bad `actions` in mass-action data.');
  }
  return attributesPatch(registry, target, d.values, d.actions ?? {});
}
