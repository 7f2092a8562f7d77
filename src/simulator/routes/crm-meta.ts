/** Schemas, pipelines (v3 and legacy v1) and owners. */
import { ownerJson } from "../data/owners.js";
import type { PipelineDef } from "../data/pipelines.js";
import { isoMs } from "../data/values.js";
import { checkScopes, notFound, validationError } from "../errors.js";
import type { ObjectTypeDef } from "../object-types.js";
import type { Portal } from "../portal.js";
import type { SimRequest, SimResult, SimRoute } from "../types.js";
import { intParam } from "./crm-common.js";
import type { PropertyCatalog } from "./crm-properties.js";

/**
 * CRM/Pipelines/…/v3/pipelines.json accepts any of a long list of CRM scopes for every object type; these are
 * its read scopes (the write ones grant reads too, but a reading connector does not hold them).
 */
const PIPELINE_READ_SCOPES = [
  "crm.objects.contacts.read",
  "crm.objects.companies.read",
  "crm.objects.deals.read",
  "tickets",
  "e-commerce",
  "crm.objects.line_items.read",
  "crm.objects.goals.read",
  "crm.objects.leads.read",
  "crm.objects.custom.read",
  "crm.objects.owners.read",
  "crm.objects.users.read",
  "crm.schemas.contacts.read",
  "crm.schemas.companies.read",
  "crm.schemas.deals.read",
  "crm.schemas.custom.read",
  "automation",
  "timeline",
];

function schemaJson(portal: Portal, catalog: PropertyCatalog, def: ObjectTypeDef, q: URLSearchParams) {
  const c = def.custom!;
  const td = portal.typeData(def.name);
  const created = isoMs(portal.initialNow - 700 * 86_400_000 + (def.salt % 86_400_000));
  const primary = td.specs.find((s) => !s.hubspotDefined)?.name ?? "hs_object_id";
  const out: Record<string, unknown> = {
    labels: c.labels,
    requiredProperties: [primary],
    searchableProperties: [primary],
    primaryDisplayProperty: primary,
    secondaryDisplayProperties: [],
    archived: false,
    restorable: true,
    metaType: "PORTAL_SPECIFIC",
    id: c.id,
    fullyQualifiedName: c.fullyQualifiedName,
    createdAt: created,
    updatedAt: created,
    objectTypeId: def.objectTypeId,
    name: c.shortName,
  };
  if (q.get("includePropertyDefinitions") !== "false") out.properties = catalog.list(td);
  if (q.get("includeAssociationDefinitions") !== "false") {
    out.associations = [
      ["0-1", "contact"],
      ["0-2", "company"],
      ["0-46", "note"],
    ].map(([to, toName], k) => ({
      fromObjectTypeId: def.objectTypeId,
      toObjectTypeId: to,
      name: `${c.shortName}_to_${toName}`,
      cardinality: "ONE_TO_MANY",
      inverseCardinality: "ONE_TO_MANY",
      id: String(20 + k + (def.salt % 50) * 3),
      createdAt: null,
      updatedAt: null,
    }));
  }
  return out;
}

function pipelineV3(p: PipelineDef, idx: number) {
  return {
    label: p.label,
    displayOrder: idx,
    id: p.id,
    stages: p.stages.map((s, i) => ({
      label: s.label,
      displayOrder: i,
      metadata: s.metadata,
      id: s.id,
      createdAt: isoMs(p.createdAt),
      updatedAt: isoMs(p.updatedAt),
      archived: false,
      writePermissions: "CRM_PERMISSIONS_ENFORCEMENT",
    })),
    createdAt: isoMs(p.createdAt),
    updatedAt: isoMs(p.updatedAt),
    archived: false,
  };
}

function pipelineV1(p: PipelineDef, idx: number, type: string, objectTypeId: string) {
  return {
    pipelineId: p.id,
    objectType: type === "deals" ? "DEAL" : type === "tickets" ? "TICKET" : "TASK",
    objectTypeId,
    label: p.label,
    displayOrder: idx,
    active: true,
    default: idx === 0,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    stages: p.stages.map((s, i) => ({
      stageId: s.id,
      label: s.label,
      displayOrder: i,
      active: true,
      ...(type === "deals"
        ? { probability: Number(s.metadata.probability ?? 0), closedWon: s.id === "closedwon" }
        : {}),
      metadata: s.metadata,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    })),
  };
}

function pipelines(portal: Portal, req: SimRequest, v1: boolean): SimResult {
  const def = portal.resolver.resolve(req.params.type!);
  const list = def ? portal.pipelines(def.name) : [];
  if (!def || !list.length) return validationError(`Unable to infer object type from: ${req.params.type}`);
  const denied = checkScopes(req.scopes, PIPELINE_READ_SCOPES);
  if (denied) return denied;
  const results = list.map((p, i) => (v1 ? pipelineV1(p, i, def.name, def.objectTypeId) : pipelineV3(p, i)));
  if (req.params.pipelineId) {
    const one = results.find((_r, i) => list[i]!.id === req.params.pipelineId);
    return one ? { status: 200, body: one } : notFound(`Unable to find pipeline ${req.params.pipelineId}`);
  }
  return { status: 200, body: { results } };
}

function owners(portal: Portal, req: SimRequest, baseUrl: () => string): SimResult {
  const limit = intParam(req.query.get("limit"), 100);
  if (!(limit >= 1 && limit <= 500)) return validationError(`limit must be between 1 and 500`);
  const archived = req.query.get("archived") === "true";
  const email = req.query.get("email")?.toLowerCase();
  const all = portal.ownerList(archived).filter((o) => !email || o.email === email);
  const after = req.query.get("after");
  const start = after ? all.findIndex((o) => Number(o.id) >= Number(after)) : 0;
  if (after && !/^\d+$/.test(after)) return validationError(`Invalid after value: ${after}`);
  const from = start < 0 ? all.length : start;
  const page = all.slice(from, from + limit);
  const body: Record<string, unknown> = { results: page.map(ownerJson) };
  const next = all[from + limit];
  if (next) {
    const q = new URLSearchParams(req.query);
    q.set("after", next.id);
    body.paging = { next: { after: next.id, link: `${baseUrl()}/crm/v3/owners/?${q}` } };
  }
  return { status: 200, body };
}

export function crmMetaRoutes(portal: Portal, catalog: PropertyCatalog, baseUrl: () => string): SimRoute[] {
  const schemas = (req: SimRequest): SimResult => {
    const customs = portal.types().filter((d) => d.custom);
    if (req.query.get("archived") === "true") return { status: 200, body: { results: [] } };
    return { status: 200, body: { results: customs.map((d) => schemaJson(portal, catalog, d, req.query)) } };
  };
  const schema = (req: SimRequest): SimResult => {
    const def = portal.resolver.resolve(req.params.type!);
    if (!def?.custom) return notFound(`Unable to find object schema ${req.params.type}`);
    return { status: 200, body: schemaJson(portal, catalog, def, req.query) };
  };
  const sch = ["crm.schemas.custom.read"];
  // CRM/Crm Owners/…/v3/crmOwners.json: either scope reads owners.
  const own = ["crm.objects.owners.read", "automation"];
  return [
    { method: "GET", pattern: "/crm/v3/schemas", scopes: sch, handle: schemas },
    { method: "GET", pattern: "/crm-object-schemas/v3/schemas", scopes: sch, handle: schemas },
    { method: "GET", pattern: "/crm/v3/schemas/:type", scopes: sch, handle: schema },
    { method: "GET", pattern: "/crm-object-schemas/v3/schemas/:type", scopes: sch, handle: schema },
    { method: "GET", pattern: "/crm/v3/pipelines/:type", scopes: [], handle: (r) => pipelines(portal, r, false) },
    {
      method: "GET",
      pattern: "/crm/v3/pipelines/:type/:pipelineId",
      scopes: [],
      handle: (r) => pipelines(portal, r, false),
    },
    {
      method: "GET",
      pattern: "/crm-pipelines/v1/pipelines/:type",
      scopes: [],
      handle: (r) => pipelines(portal, r, true),
    },
    { method: "GET", pattern: "/crm/v3/owners", scopes: own, handle: (r) => owners(portal, r, baseUrl) },
    {
      method: "GET",
      pattern: "/crm/v3/owners/:ownerId",
      scopes: own,
      handle: (r) => {
        const byUser = r.query.get("idProperty") === "userId";
        const archived = r.query.get("archived") === "true";
        const o = portal.ownerList(archived).find((x) => (byUser ? String(x.userId) : x.id) === r.params.ownerId);
        return o ? { status: 200, body: ownerJson(o) } : notFound(`Owner ${r.params.ownerId} not found`);
      },
    },
  ];
}
