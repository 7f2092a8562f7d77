/** Property definitions: GET /crm/v3/properties/:type ({results}) and GET /properties/v2/:type/properties (bare array). */
import type { PropSpec } from "../data/property-specs.js";
import { isoMs } from "../data/values.js";
import { checkScopes, notFound, validationError } from "../errors.js";
import type { Portal } from "../portal.js";
import { hash2 } from "../rng.js";
import type { TypeData } from "../type-data.js";
import type { SimRequest, SimResult, SimRoute } from "../types.js";

/** Any object read scope lets a caller read property definitions (the connector's `properties` stream). */
const ANY_READ = [
  "crm.objects.contacts.read",
  "crm.objects.companies.read",
  "crm.objects.deals.read",
  "tickets",
  "e-commerce",
  "crm.objects.line_items.read",
  "crm.objects.products.read",
  "crm.objects.tickets.read",
  "crm.objects.goals.read",
  "crm.dealsplits.read_write",
  "crm.objects.leads.read",
  "crm.objects.custom.read",
  "crm.objects.custom.sensitive.read.v2",
  "crm.objects.custom.highly_sensitive.read.v2",
  "crm.schemas.custom.read",
  "crm.schemas.contacts.read",
  "crm.schemas.companies.read",
  "crm.schemas.deals.read",
  "crm.objects.owners.read",
  "oauth",
];

function options(s: PropSpec) {
  return (s.options ?? []).map((value, i) => ({
    label: value.replace(/_/g, " "),
    value,
    displayOrder: i,
    hidden: false,
  }));
}

/** One property in the v3 shape; custom ones have createdAt/updatedAt/archived and no hubspotDefined key. */
export function propertyV3(s: PropSpec, order: number, now: number): Record<string, unknown> {
  const stamp = (k: number) => isoMs(now - 400 * 86_400_000 + (hash2(s.salt, k) % (300 * 86_400_000)));
  const head = s.hubspotDefined ? {} : { updatedAt: stamp(2), createdAt: stamp(1) };
  return {
    ...head,
    name: s.name,
    label: s.label,
    type: s.type,
    fieldType: s.fieldType,
    description: s.hubspotDefined ? `HubSpot property ${s.label}` : "",
    groupName: s.groupName,
    options: options(s),
    ...(s.hubspotDefined ? {} : { createdUserId: "9000131", updatedUserId: "9000131" }),
    displayOrder: s.hubspotDefined ? -1 : order,
    calculated: !!s.calculated,
    ...(s.calculationFormula ? { calculationFormula: s.calculationFormula } : {}),
    externalOptions: s.gen === "owner",
    ...(s.hubspotDefined ? {} : { archived: false }),
    hasUniqueValue: s.name === "hs_object_id",
    hidden: false,
    ...(s.hubspotDefined ? { hubspotDefined: true } : {}),
    modificationMetadata: {
      archivable: !s.hubspotDefined,
      readOnlyDefinition: s.hubspotDefined,
      readOnlyValue: !!s.calculated || ["id", "created", "modified"].includes(s.gen),
    },
    formField: !s.hubspotDefined || ["firstname", "lastname", "email", "phone", "company"].includes(s.name),
    dataSensitivity: "non_sensitive",
  };
}

function propertyV2(s: PropSpec, order: number, now: number): Record<string, unknown> {
  const created = s.hubspotDefined ? null : now - 400 * 86_400_000 + (hash2(s.salt, 1) % (300 * 86_400_000));
  return {
    name: s.name,
    label: s.label,
    description: s.hubspotDefined ? `HubSpot property ${s.label}` : "",
    groupName: s.groupName,
    type: s.type,
    fieldType: s.fieldType,
    hidden: false,
    options: options(s).map((o) => ({ ...o, readOnly: false })),
    calculated: !!s.calculated,
    externalOptions: s.gen === "owner",
    deleted: false,
    createdAt: created,
    updatedAt: created,
    displayOrder: s.hubspotDefined ? -1 : order,
    readOnlyValue: !!s.calculated,
    readOnlyDefinition: s.hubspotDefined,
    mutableDefinitionNotDeletable: s.hubspotDefined,
    favorited: false,
    favoritedOrder: -1,
    displayMode: "current_value",
    showCurrencySymbol: false,
    createdUserId: s.hubspotDefined ? null : 9000131,
    hubspotDefined: s.hubspotDefined ? true : null,
    formField: !s.hubspotDefined,
  };
}

/** Cached JSON of a type's definitions; definitions only depend on the seed. */
export class PropertyCatalog {
  private readonly v3 = new Map<string, string>();
  private readonly v2 = new Map<string, string>();
  constructor(private readonly portal: Portal) {}
  list(td: TypeData): Record<string, unknown>[] {
    return td.specs.map((s, i) => propertyV3(s, i, this.portal.initialNow));
  }
  v3Json(td: TypeData): string {
    let j = this.v3.get(td.def.name);
    if (!j) {
      j = JSON.stringify({ results: this.list(td) });
      this.v3.set(td.def.name, j);
    }
    return j;
  }
  v2Json(td: TypeData): string {
    let j = this.v2.get(td.def.name);
    if (!j) {
      j = JSON.stringify(td.specs.map((s, i) => propertyV2(s, i, this.portal.initialNow)));
      this.v2.set(td.def.name, j);
    }
    return j;
  }
}

function typeFor(portal: Portal, req: SimRequest, seg: string): TypeData | SimResult {
  const denied = checkScopes(req.scopes, ANY_READ);
  if (denied) return denied;
  const def = portal.resolver.resolve(seg);
  if (!def) return validationError(`Unable to infer object type from: ${seg}`);
  return portal.typeData(def.name);
}

export function crmPropertyRoutes(portal: Portal, catalog: PropertyCatalog): SimRoute[] {
  const isRes = (x: TypeData | SimResult): x is SimResult => "status" in x;
  return [
    {
      method: "GET",
      pattern: "/crm/v3/properties/:type",
      scopes: [],
      handle: (r) => {
        const td = typeFor(portal, r, r.params.type!);
        if (isRes(td)) return td;
        if (r.query.get("archived") === "true") return { status: 200, body: { results: [] } };
        return { status: 200, body: undefined, raw: catalog.v3Json(td) };
      },
    },
    {
      method: "GET",
      pattern: "/crm/v3/properties/:type/:name",
      scopes: [],
      handle: (r) => {
        const td = typeFor(portal, r, r.params.type!);
        if (isRes(td)) return td;
        const i = td.specs.findIndex((s) => s.name === r.params.name);
        if (i < 0) return notFound(`Unable to find property ${r.params.name}`);
        return { status: 200, body: propertyV3(td.specs[i]!, i, portal.initialNow) };
      },
    },
    {
      method: "GET",
      pattern: "/properties/v2/:type/properties",
      scopes: [],
      handle: (r) => {
        const td = typeFor(portal, r, r.params.type!);
        if (isRes(td)) return td;
        return { status: 200, body: undefined, raw: catalog.v2Json(td) };
      },
    },
  ];
}
