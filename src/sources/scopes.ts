/**
 * Which granted scopes let a token read a stream. HubSpot's OpenAPI specs list, per operation, security
 * requirements of which any ONE suffices; a requirement here is the set of scopes a stream's calls need
 * together. The seed's documented scopes (the stream table's `scopes`) are always one accepted set, so a
 * token set up from the seed's docs keeps working; the others come from the specs, so a token holding only
 * a newer granular scope is not refused a stream it can read (a false skip loses data).
 */
import type { StreamDef } from "./stream-def.js";

/** Alternative scope sets; a stream is readable when every scope of one set is granted. */
export type ScopeSets = readonly (readonly string[])[];

const CONTACTS = "crm.objects.contacts.read";
const COMPANIES = "crm.objects.companies.read";
const DEALS = "crm.objects.deals.read";

// Per-object list/search/batch-read operations (CRM/<Object>/…/v3/<object>.json). Products and line items
// name their granular scope; the seed documents the older `e-commerce`.
const PRODUCTS: ScopeSets = [["crm.objects.products.read"]];
const LINE_ITEMS: ScopeSets = [["crm.objects.line_items.read"]];
// Kept from the table this replaces: a false "granted" costs one 403 (the stream is then skipped at read
// time), a false "missing" loses the stream.
const TICKETS: ScopeSets = [["tickets"], ["crm.objects.tickets.read"]];
// The generic objects spec (CRM/Objects/…/v3/objects.json) accepts the sensitive variants for custom objects.
const CUSTOM: ScopeSets = [
  ["crm.objects.custom.read"],
  ["crm.objects.custom.sensitive.read.v2"],
  ["crm.objects.custom.highly_sensitive.read.v2"],
];
// Every engagement object (calls, emails, meetings, notes, tasks) is secured by the contacts scope alone.
const ENGAGEMENT: ScopeSets = [[CONTACTS]];
// CRM/Pipelines/…/v3/pipelines.json accepts any of a long list of CRM scopes; these are its read scopes a
// connector token is likely to hold.
const PIPELINES: ScopeSets = [
  CONTACTS,
  COMPANIES,
  DEALS,
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
].map((s) => [s]);
// Events/…/v3/events.json secures GET /events/v3/events with `oauth`; the seed documents
// `business-intelligence`. The parent list needs its object's scope as well.
const EVENTS: ScopeSets = [["business-intelligence"], ["oauth"]];

/** Every combination of one set from each group (the scopes of calls a stream makes one after another). */
function allOf(...groups: ScopeSets[]): ScopeSets {
  return groups.reduce<ScopeSets>((acc, g) => acc.flatMap((a) => g.map((b) => [...new Set([...a, ...b])])), [[]]);
}

const webAnalytics = (parent: ScopeSets) => allOf(parent, EVENTS);

/** Accepted scope sets per stream, besides its documented ones. */
const ACCEPTED: Record<string, ScopeSets> = {
  tickets: TICKETS,
  products: PRODUCTS,
  line_items: LINE_ITEMS,
  // CRM/Deal Splits/…/v3/dealSplits.json secures the splits batch read with crm.dealsplits.read_write.
  deal_splits: [["crm.dealsplits.read_write"]],
  engagements_emails: ENGAGEMENT,
  // CRM/Crm Owners/…/v3/crmOwners.json: `automation` or `crm.objects.owners.read`.
  owners: [["automation"]],
  owners_archived: [["automation"]],
  deal_pipelines: PIPELINES,
  ticket_pipelines: PIPELINES,
  // Legacy engagements have no spec; the changelog on sales-email-read says the contacts scope is what the
  // Engagements API needs.
  engagements: ENGAGEMENT,
  // Issue 8.7: HubSpot accepts the granular marketing.email.read as well as `content`. (The stored versions of
  // Marketing/Marketing Emails/…/marketingEmails.json list `content` only for the list operation.)
  marketing_emails: [["marketing.email.read"]],
  // Settings/User Provisioning/…/v3/userProvisioning.json: either scope alone.
  users: [["settings.users.read"], ["crm.objects.users.read"]],
  contacts_web_analytics: webAnalytics([[CONTACTS]]),
  companies_web_analytics: webAnalytics([[COMPANIES]]),
  deals_web_analytics: webAnalytics([[DEALS]]),
  tickets_web_analytics: webAnalytics(TICKETS),
  engagements_calls_web_analytics: webAnalytics(ENGAGEMENT),
  engagements_emails_web_analytics: webAnalytics(ENGAGEMENT),
  engagements_meetings_web_analytics: webAnalytics(ENGAGEMENT),
  engagements_notes_web_analytics: webAnalytics(ENGAGEMENT),
  engagements_tasks_web_analytics: webAnalytics(ENGAGEMENT),
  goals_web_analytics: webAnalytics([["crm.objects.goals.read"]]),
  line_items_web_analytics: webAnalytics([["e-commerce"], ...LINE_ITEMS]),
  products_web_analytics: webAnalytics([["e-commerce"], ...PRODUCTS]),
};

/** Streams named at discovery (custom objects) are found by their documented scope instead of their name. */
const BY_DOCUMENTED: Record<string, ScopeSets> = {
  "crm.objects.custom.read": CUSTOM,
};

/** The scope sets that let a token read the stream: the documented set first. */
export function acceptedScopeSets(def: StreamDef): ScopeSets {
  return [def.scopes, ...(ACCEPTED[def.name] ?? BY_DOCUMENTED[def.scopes.join(" ")] ?? [])];
}

/**
 * The documented scopes a token lacks for a stream, or [] when some accepted set is fully granted (or the
 * granted scopes are unknown: then HubSpot's 403s decide).
 */
export function missingScopes(def: StreamDef, granted: ReadonlySet<string> | undefined): string[] {
  if (!granted) return [];
  if (acceptedScopeSets(def).some((set) => set.every((s) => granted.has(s)))) return [];
  return def.scopes.filter((s) => !granted.has(s));
}
