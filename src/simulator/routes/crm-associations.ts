/**
 * Associations: v4 batch read (≤ 1000 inputs, exempt from the ten-secondly bucket), v3 batch read and
 * v4 per-record GET. Primary links carry two association types, as HubSpot returns them.
 */
import { isoMs } from "../data/values.js";
import { validationError } from "../errors.js";
import type { Portal } from "../portal.js";
import type { TypeData } from "../type-data.js";
import type { SimRequest, SimResult, SimRoute } from "../types.js";
import { intParam, isResult, resolveType } from "./crm-common.js";

interface Link {
  toIndex: number;
  types: { category: string; typeId: number; label: string | null }[];
  v3Types: string[];
}

function links(portal: Portal, from: TypeData, index: number, to: TypeData): Link[] | undefined {
  const pair = portal.assocPair(from.def.name, to.def.name);
  if (!pair) return undefined;
  const { id, primaryId } = pair.typeIds(from.def.name);
  const name = `${from.def.assocName}_to_${to.def.assocName}`;
  return portal.edges(from, index, to).map((e) => {
    const types: Link["types"] = [];
    const v3Types: string[] = [];
    if (primaryId !== undefined && e.primary) {
      types.push({ category: "HUBSPOT_DEFINED", typeId: primaryId, label: "Primary" });
      v3Types.push(name);
    }
    types.push({ category: "HUBSPOT_DEFINED", typeId: id, label: null });
    v3Types.push(primaryId !== undefined ? `${name}_unlabeled` : name);
    return { toIndex: e.index, types, v3Types };
  });
}

function resolvePair(portal: Portal, req: SimRequest): [TypeData, TypeData] | SimResult {
  const from = resolveType(portal, req, req.params.from!);
  if (isResult(from)) return from;
  const to = resolveType(portal, req, req.params.to!);
  if (isResult(to)) return to;
  return [from, to];
}

function batch(portal: Portal, req: SimRequest, v4: boolean): SimResult {
  const pair = resolvePair(portal, req);
  if (isResult(pair)) return pair;
  const [from, to] = pair;
  const inputs = (req.body as { inputs?: { id?: unknown }[] } | undefined)?.inputs;
  if (!Array.isArray(inputs)) return validationError("inputs is required");
  const max = v4 ? 1000 : 100;
  if (inputs.length > max) return validationError(`Batch size of ${inputs.length} exceeds the maximum of ${max}.`);
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    const id = String(input?.id ?? "");
    const index = portal.indexOf(from, id);
    const st = index >= 0 ? portal.state(from, index) : undefined;
    const ls = st?.exists ? links(portal, from, index, to) : undefined;
    if (!ls) {
      errors.push({
        status: "error",
        category: "OBJECT_NOT_FOUND",
        message: `No ${from.def.singular} with id ${id} exists`,
        context: { fromObjectId: [id] },
      });
      continue;
    }
    // HubSpot reports "no associations" for an id as an error entry too (v3 and v4 alike).
    if (!ls.length) {
      errors.push({
        status: "error",
        category: "OBJECT_NOT_FOUND",
        subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
        message: `No ${to.def.singular} is associated with ${from.def.singular} ${id}.`,
        context: { fromObjectId: [id], toObjectType: [to.def.singular.toUpperCase()] },
      });
      continue;
    }
    results.push(
      v4
        ? // toObjectId is a number on the wire although the spec types it as a string: HubSpot's real answer.
          { from: { id }, to: ls.map((l) => ({ toObjectId: Number(to.ids.id(l.toIndex)), associationTypes: l.types })) }
        : { from: { id }, to: ls.flatMap((l) => l.v3Types.map((type) => ({ id: to.ids.id(l.toIndex), type }))) },
    );
  }
  const now = isoMs(portal.now());
  const body: Record<string, unknown> = { status: "COMPLETE", results };
  if (errors.length) Object.assign(body, { numErrors: errors.length, errors });
  Object.assign(body, { startedAt: now, completedAt: now });
  return { status: errors.length ? 207 : 200, body };
}

function perRecord(portal: Portal, req: SimRequest): SimResult {
  const from = resolveType(portal, req, req.params.type!);
  if (isResult(from)) return from;
  const to = resolveType(portal, req, req.params.toType!);
  if (isResult(to)) return to;
  const limit = intParam(req.query.get("limit"), 500);
  if (!(limit >= 1 && limit <= 500)) return validationError("limit must be between 1 and 500");
  const index = portal.indexOf(from, req.params.id!);
  const ls = index >= 0 && portal.state(from, index).exists ? (links(portal, from, index, to) ?? []) : [];
  const after = intParam(req.query.get("after"), 0);
  if (Number.isNaN(after)) return validationError("invalid after");
  const page = ls.slice(after, after + limit);
  const body: Record<string, unknown> = {
    results: page.map((l) => ({ toObjectId: Number(to.ids.id(l.toIndex)), associationTypes: l.types })),
  };
  if (after + limit < ls.length) body.paging = { next: { after: String(after + limit) } };
  return { status: 200, body };
}

export function crmAssociationRoutes(portal: Portal): SimRoute[] {
  return [
    {
      method: "POST",
      pattern: "/crm/v4/associations/:from/:to/batch/read",
      scopes: [],
      limit: "exempt",
      handle: (r) => batch(portal, r, true),
    },
    {
      method: "POST",
      pattern: "/crm/v3/associations/:from/:to/batch/read",
      scopes: [],
      limit: "exempt",
      handle: (r) => batch(portal, r, false),
    },
    {
      method: "GET",
      pattern: "/crm/v4/objects/:type/:id/associations/:toType",
      scopes: [],
      handle: (r) => perRecord(portal, r),
    },
  ];
}
