/**
 * The CRM object types the portal serves, their HubSpot ids, path aliases, scopes, default property sets
 * and seeded record counts per scale.
 */
import { hashString, mix32 } from "./rng.js";

export type Scale = "small" | "medium" | "large";

export interface ObjectTypeDef {
  /** Canonical name used in SimObject.objectType and routes: "contacts", "deal_split", "p_cars". */
  name: string;
  objectTypeId: string;
  singular: string;
  /** Name used in association type names ("contact_to_company", "deal_split"...). */
  assocName: string;
  aliases: string[];
  /** Any one of these grants read access. */
  scopes: string[];
  createdProp: string;
  modifiedProp: string;
  /** Properties returned when the request names none (search and list). */
  defaultProps: string[];
  counts: Record<Scale, number>;
  /** Share of custom properties relative to contacts' `propertiesPerObject`. */
  customShare: number;
  salt: number;
  custom?: { id: string; shortName: string; fullyQualifiedName: string; labels: { singular: string; plural: string } };
}

/** Every engagement object's spec (CRM/Calls, Emails, Meetings, Notes, Tasks) secures reads by the contacts scope. */
const ENG_SCOPES = ["crm.objects.contacts.read"];
const ENG_DEFAULT = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"];

interface Row {
  name: string;
  id: string;
  singular: string;
  aliases?: string[];
  scopes: string[];
  created?: string;
  modified?: string;
  defaults: string[];
  counts: [number, number, number];
  share: number;
}

const ROWS: Row[] = [
  {
    name: "contacts",
    id: "0-1",
    singular: "contact",
    scopes: ["crm.objects.contacts.read"],
    created: "createdate",
    modified: "lastmodifieddate",
    defaults: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
    counts: [300, 30_000, 1_000_000],
    share: 1,
  },
  {
    name: "companies",
    id: "0-2",
    singular: "company",
    scopes: ["crm.objects.companies.read"],
    defaults: ["name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"],
    counts: [120, 8000, 200_000],
    share: 0.5,
  },
  {
    name: "deals",
    id: "0-3",
    singular: "deal",
    scopes: ["crm.objects.deals.read"],
    defaults: [
      "dealname",
      "amount",
      "closedate",
      "pipeline",
      "dealstage",
      "createdate",
      "hs_lastmodifieddate",
      "hs_object_id",
    ],
    counts: [150, 10_000, 300_000],
    share: 0.5,
  },
  {
    name: "tickets",
    id: "0-5",
    singular: "ticket",
    // `crm.objects.tickets.read` kept for the connector's benefit of the doubt (see src/sources/scopes.ts).
    scopes: ["tickets", "crm.objects.tickets.read"],
    defaults: [
      "content",
      "hs_pipeline",
      "hs_pipeline_stage",
      "hs_ticket_category",
      "hs_ticket_priority",
      "subject",
      "createdate",
      "hs_lastmodifieddate",
      "hs_object_id",
    ],
    counts: [100, 6000, 150_000],
    share: 0.2,
  },
  {
    name: "products",
    id: "0-7",
    singular: "product",
    scopes: ["e-commerce", "crm.objects.products.read"],
    defaults: ["name", "description", "price", "createdate", "hs_lastmodifieddate", "hs_object_id"],
    counts: [40, 500, 5000],
    share: 0.1,
  },
  {
    name: "line_items",
    id: "0-8",
    singular: "line_item",
    scopes: ["e-commerce", "crm.objects.line_items.read"],
    defaults: ["quantity", "amount", "price", "createdate", "hs_lastmodifieddate", "hs_object_id"],
    counts: [200, 12_000, 400_000],
    share: 0.1,
  },
  {
    name: "goal_targets",
    id: "0-74",
    singular: "goal_target",
    aliases: ["goals", "goal"],
    scopes: ["crm.objects.goals.read"],
    created: "hs_createdate",
    defaults: ENG_DEFAULT,
    counts: [20, 200, 2000],
    share: 0.1,
  },
  {
    name: "leads",
    id: "0-136",
    singular: "lead",
    scopes: ["crm.objects.leads.read"],
    created: "hs_createdate",
    defaults: ENG_DEFAULT,
    counts: [60, 3000, 50_000],
    share: 0.1,
  },
  {
    name: "deal_split",
    id: "0-128",
    singular: "deal_split",
    aliases: ["deal_splits", "dealsplit", "dealsplits"],
    scopes: ["crm.objects.deals.read", "crm.dealsplits.read_write"],
    created: "hs_createdate",
    defaults: ENG_DEFAULT,
    counts: [50, 2000, 30_000],
    share: 0,
  },
  ...(
    [
      ["calls", "0-48", "call", [150, 10_000, 300_000]],
      ["emails", "0-49", "email", [150, 10_000, 300_000]],
      ["meetings", "0-47", "meeting", [100, 5000, 150_000]],
      ["notes", "0-46", "note", [150, 10_000, 300_000]],
      ["tasks", "0-27", "task", [120, 8000, 200_000]],
    ] as const
  ).map(
    ([name, id, singular, counts]): Row => ({
      name,
      id,
      singular,
      scopes: ENG_SCOPES,
      created: "hs_createdate",
      defaults: ENG_DEFAULT,
      counts: [...counts],
      share: 0.1,
    }),
  ),
];

/** Builds the type registry for a portal; custom schema ids and names depend on the seed and portal id. */
export function buildObjectTypes(seed: number, portalId: number): ObjectTypeDef[] {
  const defs: ObjectTypeDef[] = ROWS.map((r) => ({
    name: r.name,
    objectTypeId: r.id,
    singular: r.singular,
    assocName: r.singular,
    aliases: r.aliases ?? [],
    scopes: r.scopes,
    createdProp: r.created ?? "createdate",
    modifiedProp: r.modified ?? "hs_lastmodifieddate",
    defaultProps: r.defaults,
    counts: { small: r.counts[0], medium: r.counts[1], large: r.counts[2] },
    customShare: r.share,
    salt: (hashString(r.name) ^ mix32(seed)) >>> 0,
  }));
  const customs: [string, string, string, [number, number, number]][] = [
    ["cars", "Car", "Cars", [50, 2000, 20_000]],
    ["pets", "Pet", "Pets", [40, 1500, 15_000]],
  ];
  customs.forEach(([short, singular, plural, counts], k) => {
    const id = String(3_000_000 + ((mix32(seed + k * 7919) % 900_000) + k));
    defs.push({
      name: `p_${short}`,
      objectTypeId: `2-${id}`,
      singular: short,
      assocName: short,
      aliases: [short, `p${portalId}_${short}`],
      scopes: [
        "crm.objects.custom.read",
        "crm.objects.custom.sensitive.read.v2",
        "crm.objects.custom.highly_sensitive.read.v2",
      ],
      createdProp: "hs_createdate",
      modifiedProp: "hs_lastmodifieddate",
      defaultProps: ENG_DEFAULT,
      counts: { small: counts[0], medium: counts[1], large: counts[2] },
      customShare: 0.05,
      salt: (hashString(short) ^ mix32(seed)) >>> 0,
      custom: {
        id,
        shortName: short,
        fullyQualifiedName: `p${portalId}_${short}`,
        labels: { singular, plural },
      },
    });
  });
  return defs;
}

/** Resolves any spelling HubSpot accepts (plural, singular, upper case, 0-1, 2-NNN, p_name, fullyQualifiedName). */
export class TypeResolver {
  private readonly byKey = new Map<string, ObjectTypeDef>();
  constructor(readonly defs: readonly ObjectTypeDef[]) {
    for (const d of defs) {
      for (const k of [d.name, d.singular, d.objectTypeId, ...d.aliases]) this.byKey.set(k.toLowerCase(), d);
    }
  }
  resolve(segment: string): ObjectTypeDef | undefined {
    let s = segment.toLowerCase();
    try {
      s = decodeURIComponent(s);
    } catch {
      // keep the raw segment
    }
    return this.byKey.get(s) ?? this.byKey.get(s.replace(/s$/, ""));
  }
}
