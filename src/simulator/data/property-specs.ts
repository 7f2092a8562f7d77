/**
 * Property specs per object type: HubSpot-defined ones (names as HubSpot uses them) plus generated custom
 * ones. A spec says how the definition looks on /crm/v3/properties and how values are generated.
 */
import { hash2, hashString } from "../rng.js";
import { WORDS } from "./pools.js";

export type PropType = "string" | "number" | "enumeration" | "datetime" | "date" | "bool" | "phone_number";

export interface PropSpec {
  name: string;
  label: string;
  type: PropType;
  fieldType: string;
  gen: string;
  /** Bound generator and "output never needs escaping", filled in by TypeData for the hot path. */
  fn?: import("./values.js").Gen;
  safe?: boolean;
  tabled?: boolean;
  nullCut?: number;
  emptyCut?: number;
  /** For record-independent generators: value table and matching `"name":value` JSON fragments (lazy). */
  table?: {
    values: string[];
    frags: string[];
    nullFrag: string;
    emptyFrag: string;
    fragBytes: Buffer[];
    nullBytes: Buffer;
    emptyBytes: Buffer;
  };
  options?: string[];
  hubspotDefined: boolean;
  calculated?: boolean;
  calculationFormula?: string;
  groupName: string;
  /** Share of records with null / "" for this property; key properties use 0. */
  nullRate: number;
  emptyRate: number;
  salt: number;
}

const FIELD: Record<PropType, string> = {
  string: "text",
  number: "number",
  enumeration: "select",
  datetime: "date",
  date: "date",
  bool: "booleancheckbox",
  phone_number: "phonenumber",
};

type Extra = Partial<Pick<PropSpec, "nullRate" | "emptyRate" | "fieldType" | "calculated" | "label">>;
const label = (name: string) =>
  name
    .replace(/^hs_/, "")
    .split("_")
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(" ");

function p(name: string, type: PropType, gen: string, options?: string[], extra: Extra = {}): PropSpec {
  return {
    name,
    label: extra.label ?? label(name),
    type,
    fieldType: extra.fieldType ?? (options && gen === "multi" ? "checkbox" : FIELD[type]),
    gen,
    options,
    hubspotDefined: true,
    calculated: extra.calculated,
    groupName: "",
    nullRate: extra.nullRate ?? 0.12,
    emptyRate: extra.emptyRate ?? 0.03,
    salt: hashString(name),
  };
}
const key = { nullRate: 0, emptyRate: 0 };
const ENUM_DIR = ["INBOUND", "OUTBOUND"];

/** Properties every CRM object has; `createdProp`/`modifiedProp` vary by type (contacts use lastmodifieddate). */
function common(createdProp: string, modifiedProp: string): PropSpec[] {
  const out = [
    p("hs_object_id", "number", "id", undefined, key),
    p(modifiedProp, "datetime", "modified", undefined, key),
  ];
  out.push(p("createdate", "datetime", "created", undefined, key));
  if (createdProp !== "createdate") out.push(p(createdProp, "datetime", "created", undefined, key));
  out.push(p("hs_updated_by_user_id", "number", "int"), p("hs_created_by_user_id", "number", "int"));
  return out;
}
/** Ids merged into a record, ";"-separated; blank on records never merged (the simulator's mutations set it). */
const merged = () => p("hs_merged_object_ids", "string", "word", undefined, { nullRate: 1, emptyRate: 0 });
const owner = () => p("hubspot_owner_id", "enumeration", "owner", undefined, { nullRate: 0.15 });

const engagementCommon = () => [
  ...common("hs_createdate", "hs_lastmodifieddate"),
  p("hs_timestamp", "datetime", "timestamp", undefined, key),
  owner(),
];

const SPECS: Record<string, () => PropSpec[]> = {
  contacts: () => [
    ...common("createdate", "lastmodifieddate"),
    p("firstname", "string", "firstname", undefined, { nullRate: 0.05 }),
    p("lastname", "string", "lastname", undefined, { nullRate: 0.05 }),
    p("email", "string", "email", undefined, { nullRate: 0.04, emptyRate: 0 }),
    p("phone", "phone_number", "phone"),
    p("mobilephone", "phone_number", "phone", undefined, { nullRate: 0.5 }),
    p("company", "string", "company"),
    p("jobtitle", "string", "jobtitle"),
    p("website", "string", "website"),
    p("address", "string", "address"),
    p("city", "string", "city"),
    p("state", "string", "state"),
    p("zip", "string", "zip"),
    p("country", "string", "country"),
    p("lifecyclestage", "enumeration", "enum", [
      "subscriber",
      "lead",
      "marketingqualifiedlead",
      "salesqualifiedlead",
      "opportunity",
      "customer",
      "evangelist",
      "other",
    ]),
    p("hs_lead_status", "enumeration", "enum", ["NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "CONNECTED"]),
    p("hs_analytics_source", "enumeration", "enum", [
      "ORGANIC_SEARCH",
      "PAID_SEARCH",
      "EMAIL_MARKETING",
      "SOCIAL_MEDIA",
      "REFERRALS",
      "DIRECT_TRAFFIC",
      "OFFLINE",
    ]),
    p("hs_analytics_num_page_views", "number", "int"),
    p("hs_analytics_first_timestamp", "datetime", "datetime"),
    p("notes_last_updated", "datetime", "datetime", undefined, { nullRate: 0.4 }),
    p("hs_email_optout", "bool", "bool"),
    p("date_of_birth", "date", "date", undefined, { nullRate: 0.6, fieldType: "date" }),
    p("annualrevenue", "number", "money"),
    p("num_associated_deals", "number", "small", undefined, { calculated: true }),
    p("total_revenue", "number", "money", undefined, { calculated: true, nullRate: 0.5 }),
    p("hs_language", "enumeration", "enum", ["en", "de", "fr", "es", "ja", "pt-br"]),
    p("associatedcompanyid", "number", "companyId"),
    merged(),
    p("hs_buying_role", "enumeration", "multi", ["BUDGET_HOLDER", "CHAMPION", "DECISION_MAKER", "END_USER"]),
    // HubSpot's renamed lifecycle-stage dates; some portals still hold an old-named one beside its new name.
    p("hs_v2_date_entered_lead", "datetime", "datetime", undefined, { nullRate: 0.3 }),
    p("hs_v2_date_entered_customer", "datetime", "datetime", undefined, { nullRate: 0.6 }),
    p("hs_lifecyclestage_customer_date", "datetime", "datetime", undefined, { nullRate: 0.5 }),
    owner(),
  ],
  companies: () => [
    ...common("createdate", "hs_lastmodifieddate"),
    p("name", "string", "company", undefined, { nullRate: 0.02 }),
    p("domain", "string", "domain"),
    p("website", "string", "website"),
    p("phone", "phone_number", "phone"),
    p("city", "string", "city"),
    p("state", "string", "state"),
    p("country", "string", "country"),
    p("industry", "enumeration", "enum", ["COMPUTER_SOFTWARE", "FINANCIAL_SERVICES", "RETAIL", "HOSPITAL_HEALTH_CARE"]),
    p("numberofemployees", "number", "int"),
    p("annualrevenue", "number", "money"),
    p("description", "string", "sentence", undefined, { fieldType: "textarea" }),
    p("lifecyclestage", "enumeration", "enum", ["lead", "opportunity", "customer", "other"]),
    p("num_associated_contacts", "number", "small", undefined, { calculated: true }),
    p("hs_is_target_account", "bool", "bool"),
    merged(),
    owner(),
  ],
  deals: () => [
    ...common("createdate", "hs_lastmodifieddate"),
    p("dealname", "string", "words", undefined, { nullRate: 0 }),
    p("amount", "number", "money"),
    p("closedate", "datetime", "future"),
    p("pipeline", "enumeration", "dealPipeline", undefined, key),
    p("dealstage", "enumeration", "dealStage", undefined, key),
    p("dealtype", "enumeration", "enum", ["newbusiness", "existingbusiness"]),
    p("description", "string", "sentence", undefined, { fieldType: "textarea" }),
    p("hs_deal_stage_probability", "number", "percent", undefined, { calculated: true }),
    p("hs_is_closed", "bool", "bool", undefined, { calculated: true }),
    p("hs_forecast_amount", "number", "money", undefined, { calculated: true }),
    // HubSpot's renamed deal-stage dates and durations (the seed connector emits their old names too).
    p("hs_v2_date_entered_closedwon", "datetime", "datetime", undefined, { nullRate: 0.5, calculated: true }),
    p("hs_v2_date_exited_appointmentscheduled", "datetime", "datetime", undefined, { nullRate: 0.5, calculated: true }),
    p("hs_v2_latest_time_in_appointmentscheduled", "number", "int", undefined, { nullRate: 0.5, calculated: true }),
    owner(),
  ],
  tickets: () => [
    ...common("createdate", "hs_lastmodifieddate"),
    p("subject", "string", "words", undefined, { nullRate: 0 }),
    p("content", "string", "paragraph", undefined, { fieldType: "textarea" }),
    p("hs_pipeline", "enumeration", "ticketPipeline", undefined, key),
    p("hs_pipeline_stage", "enumeration", "ticketStage", undefined, key),
    p("hs_ticket_category", "enumeration", "enum", [
      "PRODUCT_ISSUE",
      "BILLING_ISSUE",
      "FEATURE_REQUEST",
      "GENERAL_INQUIRY",
    ]),
    p("hs_ticket_priority", "enumeration", "enum", ["LOW", "MEDIUM", "HIGH", "URGENT"]),
    p("closed_date", "datetime", "datetime", undefined, { nullRate: 0.5 }),
    owner(),
  ],
  products: () => [
    ...common("createdate", "hs_lastmodifieddate"),
    p("name", "string", "words", undefined, { nullRate: 0 }),
    p("description", "string", "sentence", undefined, { fieldType: "textarea" }),
    p("price", "number", "money"),
    p("hs_sku", "string", "uuid"),
    p("hs_cost_of_goods_sold", "number", "money"),
    p("hs_recurring_billing_period", "string", "enum", ["P1M", "P3M", "P12M"]),
  ],
  line_items: () => [
    ...common("createdate", "hs_lastmodifieddate"),
    p("name", "string", "words", undefined, { nullRate: 0 }),
    p("hs_product_id", "number", "productId"),
    p("quantity", "number", "small"),
    p("price", "number", "money"),
    p("amount", "number", "money", undefined, { calculated: true }),
    p("discount", "number", "money", undefined, { nullRate: 0.7 }),
  ],
  goal_targets: () => [
    ...common("hs_createdate", "hs_lastmodifieddate"),
    p("hs_goal_name", "string", "words", undefined, key),
    p("hs_target_amount", "number", "money"),
    p("hs_start_datetime", "datetime", "datetime"),
    p("hs_end_datetime", "datetime", "future"),
    p("hs_kpi_progress_percent", "number", "percent", undefined, { calculated: true }),
    p("hs_assignee_user_id", "number", "int"),
  ],
  leads: () => [
    ...common("hs_createdate", "hs_lastmodifieddate"),
    p("hs_lead_name", "string", "fullname", undefined, key),
    p("hs_pipeline", "enumeration", "enum", ["lead-pipeline-id"]),
    p("hs_pipeline_stage", "enumeration", "enum", ["new-stage-id", "attempting-stage-id", "connected-stage-id"]),
    p("hs_lead_type", "enumeration", "enum", ["NEW_BUSINESS", "UPSELL", "RE_ATTEMPTING"]),
    p("hs_lead_label", "enumeration", "enum", ["WARM", "HOT", "COLD"]),
    owner(),
  ],
  deal_split: () => [
    ...common("hs_createdate", "hs_lastmodifieddate"),
    p("hs_deal_id", "number", "dealId", undefined, key),
    p("hs_deal_split_amount", "number", "money", undefined, key),
    p("hs_deal_split_percentage", "number", "percent", undefined, key),
    owner(),
  ],
  calls: () => [
    ...engagementCommon(),
    p("hs_call_title", "string", "words"),
    p("hs_call_body", "string", "html", undefined, { fieldType: "html" }),
    p("hs_call_to_number", "string", "phone"),
    p("hs_call_from_number", "string", "phone"),
    p("hs_call_status", "enumeration", "enum", ["COMPLETED", "BUSY", "NO_ANSWER", "FAILED", "CANCELED", "IN_PROGRESS"]),
    p("hs_call_duration", "number", "durationMs"),
    p("hs_call_recording_url", "string", "recordingUrl", undefined, { nullRate: 0.5 }),
    p("hs_call_disposition", "enumeration", "enum", [
      "f240bbac-87c9-4f6e-bf70-924b57d47db7",
      "73a0d17f-1163-4015-bdd5-ec830791da20",
      "9d9162e7-6cf3-4944-bf63-4dff82258764",
    ]),
    p("hs_call_direction", "enumeration", "enum", ENUM_DIR),
  ],
  emails: () => [
    ...engagementCommon(),
    p("hs_email_subject", "string", "words"),
    p("hs_email_html", "string", "html", undefined, { fieldType: "html" }),
    p("hs_email_text", "string", "paragraph", undefined, { fieldType: "textarea" }),
    p("hs_email_from_email", "string", "anyEmail", undefined, { nullRate: 0.02 }),
    p("hs_email_from_firstname", "string", "firstname"),
    p("hs_email_from_lastname", "string", "lastname"),
    p("hs_email_to_email", "string", "emailList", undefined, { nullRate: 0.02 }),
    p("hs_email_cc_email", "string", "emailList", undefined, { nullRate: 0.6 }),
    p("hs_email_bcc_email", "string", "emailList", undefined, { nullRate: 0.8 }),
    p("hs_email_direction", "enumeration", "enum", ["EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"], key),
    p("hs_email_status", "enumeration", "enum", ["SENT", "BOUNCED", "FAILED", "SCHEDULED"]),
  ],
  meetings: () => [
    ...engagementCommon(),
    p("hs_meeting_title", "string", "words"),
    p("hs_meeting_body", "string", "html", undefined, { fieldType: "html" }),
    p("hs_meeting_start_time", "datetime", "meetingStart", undefined, key),
    p("hs_meeting_end_time", "datetime", "meetingEnd", undefined, key),
    p("hs_meeting_outcome", "enumeration", "enum", ["SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED"]),
    p("hs_meeting_location", "string", "city"),
  ],
  notes: () => [
    ...engagementCommon(),
    p("hs_note_body", "string", "html", undefined, { fieldType: "html", nullRate: 0.02 }),
  ],
  tasks: () => [
    ...engagementCommon(),
    p("hs_task_subject", "string", "words", undefined, { nullRate: 0.01 }),
    p("hs_task_body", "string", "html", undefined, { fieldType: "html" }),
    p("hs_task_status", "enumeration", "enum", ["NOT_STARTED", "COMPLETED", "IN_PROGRESS", "WAITING", "DEFERRED"], key),
    p("hs_task_type", "enumeration", "enum", ["TODO", "CALL", "EMAIL", "LINKED_IN"], key),
    p("hs_task_priority", "enumeration", "enum", ["NONE", "LOW", "MEDIUM", "HIGH"]),
    p("hs_task_due_date", "datetime", "future"),
  ],
  p_cars: () => [
    ...common("hs_createdate", "hs_lastmodifieddate"),
    p("car_name", "string", "words", undefined, { nullRate: 0, label: "Car name" }),
    p("vin", "string", "uuid", undefined, key),
    p("model_year", "number", "int"),
    p("color", "enumeration", "enum", ["red", "blue", "black", "white"]),
    owner(),
  ],
  p_pets: () => [
    ...common("hs_createdate", "hs_lastmodifieddate"),
    p("pet_name", "string", "firstname", undefined, { nullRate: 0, label: "Pet name" }),
    p("species", "enumeration", "enum", ["dog", "cat", "parrot", "axolotl"]),
    p("birthday", "date", "date"),
    owner(),
  ],
};

const CUSTOM_TYPES: { type: PropType; gen: string; options?: string[] }[] = [
  { type: "string", gen: "words" },
  { type: "number", gen: "money" },
  { type: "enumeration", gen: "enum", options: ["option_a", "option_b", "option_c", "Option D"] },
  { type: "datetime", gen: "datetime" },
  { type: "date", gen: "date" },
  { type: "bool", gen: "bool" },
  { type: "string", gen: "sentence" },
  { type: "phone_number", gen: "phone" },
  { type: "enumeration", gen: "multi", options: ["red", "green", "blue", "yellow"] },
  { type: "number", gen: "int" },
];

/** Custom (portal-defined) properties: deterministic names, a mix of types, every 9th one calculated. */
function customSpecs(objectType: string, count: number, seed: number): PropSpec[] {
  const out: PropSpec[] = [];
  for (let k = 0; k < count; k++) {
    const h = hash2(hashString(objectType) ^ seed, k);
    const name = `${WORDS[h % WORDS.length]}_${WORDS[(h >>> 8) % WORDS.length]}_${k}`;
    if (k % 9 === 8) {
      const spec = p(name, "number", "money", undefined, { fieldType: "calculation_equation", calculated: true });
      spec.calculationFormula = "amount * 2";
      out.push({ ...spec, hubspotDefined: false, groupName: "custom_calculated" });
      continue;
    }
    const t = CUSTOM_TYPES[k % CUSTOM_TYPES.length]!;
    out.push({ ...p(name, t.type, t.gen, t.options, { nullRate: 0.25, emptyRate: 0.05 }), hubspotDefined: false });
  }
  return out;
}

/** All property specs of a type, HubSpot-defined first, then custom ones. */
export function propertySpecs(objectType: string, customCount: number, seed: number): PropSpec[] {
  const base = (SPECS[objectType] ?? SPECS.p_cars!)();
  const portalDefined = objectType.startsWith("p_");
  for (const s of base) {
    s.groupName = objectType.replace(/s$/, "") + "information";
    // On custom objects only the hs_* system properties are HubSpot's; the rest belong to the portal.
    if (portalDefined && !s.name.startsWith("hs_") && s.name !== "createdate" && s.name !== "hubspot_owner_id") {
      s.hubspotDefined = false;
    }
  }
  return [...base, ...customSpecs(objectType, customCount, seed)];
}
