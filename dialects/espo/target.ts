// The entity a request is about: the canonical entity, and for the activity entity the Espo type (Task, Call,
// Meeting) that decides which kinds it shows and which kind a create gets (mapping.md §4.3).
import type { Registry } from '../../core/schema/registry';
import type { Rec } from '../../core/types';
import { espoEntity, espoKinds, espoName } from './names';
import { noController } from './errors';

export interface EspoTarget {
  entity: string;
  kind?: string;          // the kind a create gets (activity only)
  kinds?: string[];       // the kinds the type shows (activity only)
  type: string;           // the Espo entity type, as EspoCRM spells it
}

export function targetOf(registry: Registry, entity: string, kind?: string): EspoTarget {
  return { entity, kind, kinds: espoKinds(entity, kind), type: espoName(entity, kind) };
}

/** The target named by a URL segment; 404 `Controller 'X' does not exist.` when there is none. */
export function resolveTarget(registry: Registry, name: string): EspoTarget {
  const found = espoEntity(registry, name);
  if (!found) throw noController(name.charAt(0).toUpperCase() + name.slice(1));
  return targetOf(registry, found.entity, found.kind);
}

/** Whether a stored record is visible through this target (a Call is not a Task). */
export function shows(target: EspoTarget, rec: Rec): boolean {
  return !target.kinds || target.kinds.includes(String(rec.kind));
}
