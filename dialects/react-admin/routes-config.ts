// `configuration` (the singleton, id 1) and `object_config` (custom object definitions), before `/:resource`.
import type { Request, RequestHandler, Response } from 'express';
import type { RouteTable } from '../shared/route-table';
import type { DialectContext } from '../types';
import { ctxOf, sendJson, withBody } from '../shared/http';
import { readConfiguration, writeConfiguration } from './configuration';
import { resolveResource } from './names';
import { sendList, unknownResource, WireError } from './render';
import { customObjectNames, readFieldDecl, readObjectConfig, renderObjectConfig } from './schema';

export function configRoutes(table: RouteTable, ctx: DialectContext, body: RequestHandler): void {
  const { core } = ctx;

  table.add('GET', '/configuration', async (_req: Request, res: Response) => {
    sendList(res, 'configuration', 0, [await readConfiguration(core, ctxOf(res))], 1);
  });
  // The `:id` is ignored: there is one configuration (as upstream).
  table.add('GET', '/configuration/:id', async (_req: Request, res: Response) => {
    sendJson(res, 200, await readConfiguration(core, ctxOf(res)));
  });
  table.add('PUT', '/configuration/:id', withBody(body, async (req: Request, res: Response) => {
    sendJson(res, 200, await writeConfiguration(core, ctxOf(res), req.body));
  }));
  table.add('POST', '/configuration', withBody(body, async (req: Request, res: Response) => {
    sendJson(res, 201, await writeConfiguration(core, ctxOf(res), req.body));
  }));
  table.add('DELETE', '/configuration/:id', async () => {
    throw new WireError(400, 'Cannot delete on this resource', 'INVALID_RESOURCE');
  });

  table.add('GET', '/object_config', async (_req: Request, res: Response) => {
    const list = customObjectNames(core.registry).map((e) => renderObjectConfig(core.registry, e));
    sendList(res, 'object_config', 0, list, list.length);
  });

  table.add('GET', '/object_config/:slug', async (req: Request, res: Response) => {
    const entity = customObjectNames(core.registry).find((e) => renderObjectConfig(core.registry, e).slug === req.params.slug);
    if (!entity) throw unknownResource();
    sendJson(res, 200, renderObjectConfig(core.registry, entity));
  });

  // A new custom object: a run-time entity with `name` and the declared fields, at /api/<slug> at once.
  table.add('POST', '/object_config', withBody(body, async (req: Request, res: Response) => {
    ctxOf(res);
    const def = readObjectConfig(core.registry, req.body);
    await core.defineEntity(def);
    sendJson(res, 201, renderObjectConfig(core.registry, def.name));
  }));

  // A new field on a custom object or on a built-in resource (rendered top-level and in `custom_fields`).
  table.add('POST', '/object_config/:slug/fields', withBody(body, async (req: Request, res: Response) => {
    ctxOf(res);
    const resource = resolveResource(core.registry, String(req.params.slug));
    if (!resource) throw unknownResource();
    if (resource.readOnly) throw new WireError(400, 'Cannot add fields to this resource', 'INVALID_RESOURCE');
    const f = readFieldDecl(core.registry, req.body, 'field');
    if (resource.kind !== 'custom') delete f.required; // a built-in entity's required rules stay the core's (R3)
    if (core.registry.field(resource.entity, f.name) || resource.byName.has(f.name)) throw new WireError(409, `Field '${f.name}' exists`, 'CONFLICT');
    await core.defineField(resource.entity, f);
    sendJson(res, 201, renderObjectConfig(core.registry, resource.entity, resource.name));
  }));
}
