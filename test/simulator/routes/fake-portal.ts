/**
 * A small deterministic PortalView for route tests. Records are computed from (seed, type, index) on
 * demand, so a test can ask for tens of thousands of them without building arrays.
 */
import type { PortalView, SimObject } from "../../../src/simulator/types.js";

/** Fixed clock for every fake portal: 2024-03-03T14:42:00Z (the reference connector's frozen clock). */
export const FAKE_NOW = Date.UTC(2024, 2, 3, 14, 42, 0);
const DAY = 86_400_000;

const DEFAULT_SIZES: Record<string, number> = {
  contacts: 300,
  companies: 40,
  deals: 30,
  tickets: 20,
  calls: 60,
  emails: 50,
  meetings: 40,
  notes: 70,
  tasks: 45,
};

const ENGAGEMENT_RANK: Record<string, number> = { calls: 0, emails: 1, meetings: 2, notes: 3, tasks: 4 };

/** Options for {@link makeFakePortal}. */
export interface FakePortalOptions {
  seed?: number;
  sizes?: Record<string, number>;
  /** Spread of updatedAt back from now, in days (default 60). */
  updatedWithinDays?: number;
  /** Give every engagement type the same id series, to prove routes survive cross-type id clashes. */
  sharedEngagementIds?: boolean;
  /** Offer the optional ownerList() member (default true). */
  withOwnerList?: boolean;
}

function hash01(seed: number, keys: (string | number)[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const ch of `${keys.join("\u0001")}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche so nearby keys do not give nearby numbers.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 0x1_0000_0000;
}

/** Builds a fake portal; the same options always give the same data. */
export function makeFakePortal(options: FakePortalOptions = {}): PortalView {
  const seed = options.seed ?? 42;
  const sizes = { ...DEFAULT_SIZES, ...options.sizes };
  const spread = (options.updatedWithinDays ?? 60) * DAY;
  const random = (...keys: (string | number)[]): number => hash01(seed, keys);
  // Contact ids cross digit lengths (90, 103, … 3977) so string vs numeric ordering differ.
  const idOf = (type: string, i: number): string => {
    const rank = ENGAGEMENT_RANK[type];
    if (rank !== undefined) return String(10_000 + i * 5 + (options.sharedEngagementIds ? 0 : rank));
    if (type === "contacts") return String(90 + i * 13);
    return String(500_000 + i * 11);
  };
  const indexOf = (type: string, id: string): number | undefined => {
    const n = Number(id);
    const rank = ENGAGEMENT_RANK[type];
    const engBase = 10_000 + (options.sharedEngagementIds ? 0 : (rank ?? 0));
    const [base, step] = rank !== undefined ? [engBase, 5] : type === "contacts" ? [90, 13] : [500_000, 11];
    const i = (n - base) / step;
    return Number.isInteger(i) && i >= 0 && i < (sizes[type] ?? 0) ? i : undefined;
  };
  const props = (type: string, id: string, created: number): Record<string, string | null> => {
    const r = (k: string) => random(type, id, k);
    const ts = new Date(created + Math.floor(r("ts") * DAY)).toISOString();
    const common = {
      hs_timestamp: ts,
      hubspot_owner_id: r("owner") < 0.8 ? String(501 + Math.floor(r("o") * 3)) : null,
    };
    switch (type) {
      case "contacts":
        return { email: `c${id}@example.com`, firstname: `First${id}`, lastname: `Last${id}` };
      case "calls":
        return {
          ...common,
          hs_call_body: `call ${id}`,
          hs_call_to_number: "+15550100",
          hs_call_from_number: "+15550199",
          hs_call_status: "COMPLETED",
          hs_call_duration: String(Math.floor(r("d") * 600_000)),
          hs_call_recording_url: null,
          hs_call_disposition: "f240bbac-87c9-4f6e-bf70-924b57d47db7",
          hs_call_direction: "OUTBOUND",
        };
      case "emails":
        return {
          ...common,
          hs_email_subject: `Subject ${id}`,
          hs_email_html: `<p>${id}</p>`,
          hs_email_text: `text ${id}`,
          hs_email_from_email: "rep@example.com",
          hs_email_from_firstname: "Rep",
          hs_email_from_lastname: "One",
          hs_email_to_email: `a${id}@example.com;b${id}@example.com`,
          hs_email_cc_email: "",
          hs_email_bcc_email: "audit@example.com",
          hs_email_direction: r("dir") < 0.2 ? "INCOMING_EMAIL" : "EMAIL",
        };
      case "meetings":
        return {
          ...common,
          hs_meeting_title: `Meeting ${id}`,
          hs_meeting_body: "agenda",
          hs_meeting_start_time: ts,
          hs_meeting_end_time: new Date(Date.parse(ts) + 1_800_000).toISOString(),
        };
      case "notes":
        return { ...common, hs_note_body: `note ${id}` };
      case "tasks":
        return {
          ...common,
          hs_task_subject: `Task ${id}`,
          hs_task_body: "do it",
          hs_task_status: "NOT_STARTED",
          hs_task_type: "TODO",
        };
      default:
        return { name: `${type} ${id}` };
    }
  };
  const portal: PortalView = {
    seed,
    portalId: 62515,
    now: () => FAKE_NOW,
    count: (type, archived) => (archived ? 0 : (sizes[type] ?? 0)),
    idAt: (type, index, archived) =>
      !archived && index >= 0 && index < (sizes[type] ?? 0) ? idOf(type, index) : undefined,
    get(type, id, archived): SimObject | undefined {
      if (archived || indexOf(type, id) === undefined) return undefined;
      const updatedAt = FAKE_NOW - Math.floor(random(type, id, "updated") * spread);
      const createdAt = updatedAt - Math.floor(random(type, id, "age") * 200 * DAY);
      return { id, objectType: type, properties: props(type, id, createdAt), createdAt, updatedAt, archived: false };
    },
    associations(fromType, id, toType) {
      const n = sizes[toType] ?? 0;
      if (n === 0 || random(fromType, id, toType, "has") < 0.3) return [];
      return [idOf(toType, Math.floor(random(fromType, id, toType, "which") * n))];
    },
    ownerIds: () => ["501", "502", "503"],
    random,
  };
  if (options.withOwnerList === false) return portal;
  portal.ownerList = (archived) =>
    archived
      ? []
      : portal.ownerIds().map((id, k) => ({
          id,
          email: `owner${id}@example.com`,
          firstName: `Owner${k}`,
          lastName: "Example",
          userId: 7_000_000 + k,
          createdAt: FAKE_NOW - 400 * DAY,
          updatedAt: FAKE_NOW - 10 * DAY,
          archived: false,
          teams: [{ id: "77", name: "Sales", primary: true }],
        }));
  return portal;
}
