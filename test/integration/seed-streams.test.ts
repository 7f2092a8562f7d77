import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { campaignCount } from "../../src/simulator/routes/legacy-email-campaigns.js";
import { eventTimeline } from "../../src/simulator/routes/legacy-email-events.js";
import { listAt, listCount } from "../../src/simulator/routes/lists-catalog.js";
import { marketingEmailCount } from "../../src/simulator/routes/marketing-emails.js";
import { formCatalog } from "../../src/simulator/routes/marketing-forms.js";
import type { Row, StreamState } from "../../src/sources/page.js";
import { STREAMS } from "../../src/sources/streams.js";
import { type SyncResult, syncFrom, unique } from "../helpers/sync.js";

const ENGAGEMENT_TYPES = ["calls", "emails", "meetings", "notes", "tasks"];
const CHILD_TABLES = ["from", "to", "cc", "bcc"].map((k) => `engagements_metadata_${k}`);
const SEED_STREAMS = [
  "campaigns",
  "contact_lists",
  "list_memberships",
  "email_events",
  "email_subscriptions",
  "subscription_changes",
  "engagements",
  "forms",
  "form_submissions",
  "marketing_emails",
  "users",
  "workflows",
  "account_details",
  "contacts_property_history",
  "companies_property_history",
  "deals_property_history",
];

let sim: SimulatorHandle;
beforeAll(async () => {
  // The simulated clock is the wall clock, so "the last 30 days" means the same to both sides. The burst limit
  // is raised because the transport paces itself by the rate headers, which are sent even without limits.
  sim = await startSimulator({
    seed: 5,
    scale: "small",
    rateLimits: false,
    limits: { burst: 1_000_000 },
    now: Date.now(),
  });
});
afterAll(() => sim.close());

/** Every record of a paged endpoint, read directly over HTTP (after or v1 offset paging). */
async function httpAll(path: string, key: string, query: Record<string, string> = {}): Promise<Row[]> {
  const out: Row[] = [];
  let cursor: { after?: string; offset?: string } = {};
  for (;;) {
    const q = new URLSearchParams({ ...query, ...cursor });
    const res = await fetch(`${sim.url}${path}?${q}`, {
      headers: { authorization: `Bearer ${sim.credentials.privateAppToken}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    out.push(...((body[key] as Row[]) ?? []));
    const after = (body.paging as { next?: { after?: string } } | undefined)?.next?.after;
    if (after) cursor = { after };
    else if (body.hasMore === true) cursor = { offset: String(body.offset) };
    else return out;
  }
}

/** Values of the primary key of each row, as one string each. */
function keysOf(stream: string, rows: Row[]): string[] {
  const def = STREAMS.find((s) => s.name === stream);
  if (!def) throw new Error(`no stream ${stream}`);
  return rows.map((r) => JSON.stringify(def.primaryKey.map(([field]) => r[field as string])));
}

const routeCount = (s: ReturnType<SimulatorHandle["stats"]>, route: string) =>
  s.routes.filter((r) => r.route.includes(route)).reduce((n, r) => n + r.requests, 0);

describe("every seed stream, full refresh", () => {
  let run: SyncResult;
  beforeAll(async () => {
    run = await syncFrom(sim, { streams: SEED_STREAMS, mode: "full_refresh" });
  }, 120_000);

  it("completes every stream without errors", () => {
    expect(run.errors).toEqual([]);
    expect(run.summaries.map((s) => [s.stream, s.status]).sort()).toEqual(
      SEED_STREAMS.map((s) => [s, "complete"]).sort(),
    );
  });

  it.each(SEED_STREAMS.filter((s) => s !== "subscription_changes"))(
    "%s: every row carries its primary key, each key once",
    (stream) => {
      const rows = run.sink.rows(stream);
      expect(rows.length).toBeGreaterThan(0);
      const keys = keysOf(stream, rows);
      expect(keys.every((k) => !k.includes("null"))).toBe(true);
      expect(unique(keys).length).toBe(keys.length);
    },
  );

  it("campaigns: every campaign, merged with its detail and counters flattened", () => {
    const rows = run.sink.rows("campaigns");
    expect(rows.length).toBe(campaignCount(sim.portal));
    for (const r of rows) {
      expect(typeof r.name).toBe("string");
      expect(r.counters_sent).toBe((r.counters as Row).sent);
      expect(typeof r.lastUpdatedTime).toBe("number");
    }
  });

  it("contact_lists and list_memberships: every list, every member, linked by listId", () => {
    const lists = Array.from({ length: listCount(sim.portal) }, (_, k) => listAt(sim.portal, k));
    expect(
      run.sink
        .rows("contact_lists")
        .map((r) => r.listId)
        .sort(),
    ).toEqual(lists.map((l) => l.listId).sort());
    const members = run.sink.rows("list_memberships");
    expect(members.length).toBe(lists.reduce((n, l) => n + l.size, 0));
    for (const l of lists) expect(members.filter((m) => m.listId === l.listId).length).toBe(l.size);
  });

  it("email_events and subscription_changes: every event of the timelines", async () => {
    expect(run.sink.rows("email_events").length).toBe(eventTimeline(sim.portal).size);
    const direct = await httpAll("/email/public/v1/subscriptions/timeline", "timeline", { limit: "1000" });
    const got = run.sink.rows("subscription_changes");
    expect(got.length).toBe(direct.length);
    expect(got.map((r) => JSON.stringify(r)).sort()).toEqual(direct.map((r) => JSON.stringify(r)).sort());
  });

  it("email_subscriptions, users, workflows, account_details: what the endpoints hold", async () => {
    const subs = await httpAll("/email/public/v1/subscriptions", "subscriptionDefinitions");
    expect(run.sink.rows("email_subscriptions").map((r) => r.id)).toEqual(subs.map((r) => r.id));
    const users = await httpAll("/settings/v3/users", "results");
    expect(run.sink.rows("users").map((r) => r.id)).toEqual(users.map((r) => r.id));
    const workflows = await httpAll("/automation/v3/workflows", "workflows");
    expect(run.sink.rows("workflows").map((r) => r.id)).toEqual(workflows.map((r) => r.id));
    for (const w of run.sink.rows("workflows")) {
      expect(w.contactListIds_enrolled).toBe((w.contactListIds as Row).enrolled);
      expect(w.updatedAt).toBeTypeOf("number");
    }
    expect(run.sink.rows("account_details")).toEqual([expect.objectContaining({ portalId: sim.portal.portalId })]);
  });

  it("forms: every live form of types hubspot, captured and flow", () => {
    const want = formCatalog(sim.portal).filter(
      (f) => !f.archived && ["hubspot", "captured", "flow"].includes(f.formType),
    );
    expect(
      run.sink
        .rows("forms")
        .map((r) => r.id)
        .sort(),
    ).toEqual(want.map((f) => f.id).sort());
  });

  it("form_submissions: every submission of every form, tagged with formId, updatedAt from submittedAt", async () => {
    const rows = run.sink.rows("form_submissions");
    for (const form of run.sink.rows("forms")) {
      const direct = await httpAll(`/form-integrations/v1/submissions/forms/${form.id}`, "results", { limit: "50" });
      const got = rows.filter((r) => r.formId === form.id);
      expect(got.map((r) => r.conversionId)).toEqual(direct.map((r) => r.conversionId));
    }
    expect(rows.every((r) => r.updatedAt === r.submittedAt)).toBe(true);
  });

  it("marketing_emails: every email with its stats inline", () => {
    const rows = run.sink.rows("marketing_emails");
    expect(rows.length).toBe(marketingEmailCount(sim.portal));
    expect(rows.every((r) => typeof (r.stats as Row | undefined)?.counters === "object")).toBe(true);
  });

  it("engagements: every v1 engagement, flattened", () => {
    const rows = run.sink.rows("engagements");
    const want = ENGAGEMENT_TYPES.reduce((n, t) => n + sim.portal.count(t), 0);
    expect(rows.length).toBe(want);
    for (const r of rows.slice(0, 50)) {
      expect(r.engagement).toBeUndefined();
      expect(typeof r.id).toBe("number");
      expect(typeof r.lastUpdated).toBe("number");
      expect(r.associations_contactIds).toEqual((r.associations as Row).contactIds);
    }
  });

  it("engagements: one metadata row per engagement, email engagements own the from/to/cc/bcc rows", () => {
    const rows = run.sink.rows("engagements");
    const byId = new Map(rows.map((r) => [r.id, r]));
    const meta = run.sink.rows("engagements_metadata");
    expect(meta.map((m) => m.engagement_id).sort()).toEqual([...byId.keys()].sort());
    const emails = rows.filter((r) => String(r.type).includes("EMAIL"));
    expect(emails.length).toBeGreaterThan(0);
    for (const table of CHILD_TABLES) {
      const kids = run.sink.rows(table);
      expect(kids.length).toBeGreaterThan(0);
      for (const k of kids) expect(String(byId.get(k.engagement_id)?.type)).toContain("EMAIL");
    }
    const key = (t: string) => t.replace("engagements_metadata_", "");
    for (const table of CHILD_TABLES.filter((t) => t !== "engagements_metadata_from")) {
      const want = emails.reduce((n, e) => n + (((e.metadata as Row)[key(table)] as unknown[]) ?? []).length, 0);
      expect(run.sink.rows(table).length).toBe(want);
    }
    expect(run.sink.rows("engagements_metadata_from").length).toBe(emails.length);
  });

  it("property history: one row per version, the reference's shapes, hs_lastmodifieddate left out", async () => {
    const contacts = run.sink.rows("contacts_property_history");
    expect(contacts.every((r) => typeof r.vid === "number" && Number.isSafeInteger(r.timestamp))).toBe(true);
    expect(contacts.every((r) => !("sourceType" in r) && "source-type" in r)).toBe(true);
    expect(unique(contacts.map((r) => r.vid)).length).toBe(sim.portal.count("contacts"));
    const deals = run.sink.rows("deals_property_history");
    // The seed connector's schema: timestamp is integer epoch ms, in every property history stream.
    expect(deals.every((r) => typeof r.dealId === "string" && Number.isSafeInteger(r.timestamp))).toBe(true);
    for (const s of ["contacts_property_history", "companies_property_history", "deals_property_history"]) {
      expect(run.sink.rows(s).some((r) => r.property === "hs_lastmodifieddate")).toBe(false);
    }
    // Versions of the first 50 companies, read directly.
    const names = (await httpAll("/crm/v3/properties/companies", "results")).map((p) => String(p.name));
    const res = await fetch(`${sim.url}/crm/v3/objects/companies?limit=50&propertiesWithHistory=${names.join(",")}`, {
      headers: { authorization: `Bearer ${sim.credentials.privateAppToken}` },
    });
    const page = ((await res.json()) as { results: Row[] }).results;
    const want = page.reduce(
      (n, c) =>
        n +
        Object.entries(c.propertiesWithHistory as Record<string, unknown[]>)
          .filter(([p]) => p !== "hs_lastmodifieddate")
          .reduce((m, [, v]) => m + v.length, 0),
      0,
    );
    const ids = new Set(page.map((c) => c.id));
    expect(run.sink.rows("companies_property_history").filter((r) => ids.has(r.companyId)).length).toBe(want);
  });

  it("web analytics streams are not offered without enable_experimental_streams", () => {
    expect(run.sink.tables.has("contacts_web_analytics")).toBe(false);
  });
});

describe("incremental round trips", () => {
  const CLIENT = ["campaigns", "contact_lists", "forms", "form_submissions", "workflows", "engagements"];
  const SERVER = ["email_events", "subscription_changes", "marketing_emails"];
  let first: SyncResult;
  let second: SyncResult;
  let changedNote: string;
  let firstStats: ReturnType<SimulatorHandle["stats"]>;
  let secondStats: ReturnType<SimulatorHandle["stats"]>;
  beforeAll(async () => {
    first = await syncFrom(sim, { streams: [...CLIENT, ...SERVER], mode: "incremental" });
    firstStats = sim.stats();
    sim.portal.advance(1_000);
    changedNote = sim.portal.idAt("notes", 3) as string;
    sim.portal.update("notes", changedNote, { hs_note_body: "edited" });
    second = await syncFrom(sim, { streams: [...CLIENT, ...SERVER], mode: "incremental", state: first.states });
    secondStats = sim.stats();
  }, 120_000);

  it("both runs complete without errors", () => {
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  });

  it.each(CLIENT.concat("marketing_emails"))(
    "%s: the state is the newest cursor; a second run returns only the boundary and changed records",
    (stream) => {
      const def = STREAMS.find((s) => s.name === stream);
      const field = def?.cursorField as string;
      const rows = first.sink.rows(stream);
      const newest = Math.max(...rows.map((r) => Number(Date.parse(String(r[field])) || r[field])));
      const saved = first.states.get(stream) as StreamState;
      const savedMs = Number(Date.parse(String(saved[field])) || saved[field]);
      expect(savedMs).toBe(newest);
      const again = second.sink.rows(stream);
      const boundary = rows.filter((r) => Number(Date.parse(String(r[field])) || r[field]) === newest);
      if (stream === "engagements") {
        expect(again.map((r) => String(r.id)).sort()).toEqual(
          unique([...boundary.map((r) => String(r.id)), changedNote]).sort(),
        );
      } else {
        expect(again.length).toBe(boundary.length);
      }
    },
  );

  it("engagements: the second run's young cursor reads /recent/modified, not /paged", () => {
    expect(routeCount(secondStats, "/recent/modified") - routeCount(firstStats, "/recent/modified")).toBeGreaterThan(0);
    expect(routeCount(secondStats, "/engagements/paged") - routeCount(firstStats, "/engagements/paged")).toBe(0);
    expect(routeCount(firstStats, "/engagements/paged")).toBeGreaterThan(0);
  });

  it("email_events and subscription_changes: nothing new, the window position advances", () => {
    for (const [stream, field] of [
      ["email_events", "created"],
      ["subscription_changes", "timestamp"],
    ] as const) {
      expect(second.sink.rows(stream)).toEqual([]);
      const a = first.states.get(stream)?.[field] as number;
      const b = second.states.get(stream)?.[field] as number;
      expect(typeof a).toBe("number");
      expect(b).toBeGreaterThan(a);
      expect(a).toBeGreaterThanOrEqual(Math.max(...first.sink.rows(stream).map((r) => Number(r[field]))));
    }
  });

  it("email_events: a state in the middle of the timeline returns exactly the events from it on", async () => {
    const rows = first.sink.rows("email_events");
    const sorted = rows.map((r) => Number(r.created)).sort((a, b) => a - b);
    const cut = sorted[Math.floor(sorted.length / 2)] as number;
    const run = await syncFrom(sim, {
      streams: ["email_events"],
      state: new Map([["email_events", { created: cut }]]),
    });
    expect(run.sink.rows("email_events").length).toBe(sorted.filter((c) => c >= cut).length);
  });
});

describe("engagements: Recent vs All", () => {
  it("a state older than 30 days reads /paged", async () => {
    const before = sim.stats();
    const old = Date.now() - 31 * 86_400_000;
    const run = await syncFrom(sim, {
      streams: ["engagements"],
      state: new Map([["engagements", { lastUpdated: old }]]),
    });
    const after = sim.stats();
    expect(
      routeCount(after, "/engagements/v1/engagements/paged") - routeCount(before, "/engagements/v1/engagements/paged"),
    ).toBeGreaterThan(0);
    expect(routeCount(after, "/recent/modified") - routeCount(before, "/recent/modified")).toBe(0);
    const want = ENGAGEMENT_TYPES.flatMap((t) =>
      Array.from({ length: sim.portal.count(t) }, (_, i) => sim.portal.get(t, sim.portal.idAt(t, i) as string)),
    ).filter((o) => (o?.updatedAt ?? 0) >= old);
    expect(run.sink.rows("engagements").length).toBe(want.length);
  });

  it("a state from the last 30 days reads /recent/modified and never /paged", async () => {
    const before = sim.stats();
    const recent = Date.now() - 5 * 86_400_000;
    const run = await syncFrom(sim, {
      streams: ["engagements"],
      state: new Map([["engagements", { lastUpdated: recent }]]),
    });
    const after = sim.stats();
    expect(routeCount(after, "/recent/modified") - routeCount(before, "/recent/modified")).toBeGreaterThan(0);
    expect(
      routeCount(after, "/engagements/v1/engagements/paged") - routeCount(before, "/engagements/v1/engagements/paged"),
    ).toBe(0);
    expect(run.sink.rows("engagements").every((r) => Number(r.lastUpdated) >= recent)).toBe(true);
  });
});

describe("web analytics (experimental)", () => {
  it("is read only with enable_experimental_streams, one read per parent record, properties flattened", async () => {
    const off = await syncFrom(sim, { streams: ["contacts_web_analytics"], mode: "full_refresh" });
    expect(off.summaries).toEqual([]);
    expect(off.sink.tables.has("contacts_web_analytics")).toBe(false);
    const before = sim.stats();
    const on = await syncFrom(sim, {
      streams: ["contacts_web_analytics"],
      config: { enable_experimental_streams: true },
    });
    expect(on.errors).toEqual([]);
    const rows = on.sink.rows("contacts_web_analytics");
    const direct = await httpAll("/events/v3/events", "results", { objectType: "contact", limit: "100" });
    expect(rows.map((r) => r.id).sort()).toEqual(direct.map((r) => r.id).sort());
    expect(rows.every((r) => !("properties" in r) && typeof r.properties_hs_url === "string")).toBe(true);
    const calls = routeCount(sim.stats(), "/events/v3/events") - routeCount(before, "/events/v3/events");
    expect(calls).toBeGreaterThanOrEqual(sim.portal.count("contacts"));
    // The seed connector's state: the newest occurredAt seen per parent object.
    const state = on.states.get("contacts_web_analytics") as StreamState;
    const newest = new Map<string, number>();
    for (const e of direct) {
      const at = Date.parse(String(e.occurredAt));
      newest.set(String(e.objectId), Math.max(at, newest.get(String(e.objectId)) ?? at));
    }
    expect(Object.keys(state).sort()).toEqual([...newest.keys()].sort());
    for (const [id, at] of newest) expect(Date.parse(String((state[id] as Row).occurredAt))).toBe(at);
  });
});

describe("checkpoints of server-side window streams leave no gap", () => {
  /** For each checkpoint of `stream`: its state and the rows written before it. */
  function checkpointed(run: SyncResult, stream: string): { state: StreamState; rows: Row[] }[] {
    const rows = run.sink.rows(stream);
    let written = 0;
    return run.checkpoints
      .filter((c) => c.stream === stream)
      .map((c) => {
        written += c.count;
        return { state: c.state, rows: rows.slice(0, written) };
      });
  }

  it("email_events: every event older than a checkpoint's cursor was written before it", async () => {
    const run = await syncFrom(sim, { streams: ["email_events"], checkpointEveryRecords: 1 });
    const all = run.sink.rows("email_events");
    const points = checkpointed(run, "email_events");
    expect(points.length).toBeGreaterThan(3);
    for (const { state, rows } of points) {
      const cursor = Number(state.created);
      const ids = new Set(rows.map((r) => r.id));
      const missing = all.filter((e) => Number(e.created) < cursor && !ids.has(e.id));
      expect(missing).toEqual([]);
    }
  });

  it("web analytics: a mid-run checkpoint names every parent read so far; resuming from it loses no event", async () => {
    const config = { enable_experimental_streams: true };
    const run = await syncFrom(sim, { streams: ["contacts_web_analytics"], config, checkpointEveryRecords: 1 });
    const direct = await httpAll("/events/v3/events", "results", { objectType: "contact", limit: "100" });
    const points = checkpointed(run, "contacts_web_analytics");
    const all = run.sink.rows("contacts_web_analytics");
    expect(points.length).toBeGreaterThan(2);
    for (const { state, rows } of points) {
      // Every event at or before a parent's checkpointed cursor was written before the checkpoint.
      const ids = new Set(rows.map((r) => r.id));
      const covered = all.filter((e) => {
        const saved = (state[String(e.objectId)] as Row | undefined)?.occurredAt;
        return saved !== undefined && Date.parse(String(e.occurredAt)) <= Date.parse(String(saved));
      });
      expect(covered.filter((e) => !ids.has(e.id))).toEqual([]);
    }
    // Resuming from a mid-run checkpoint: the parents done give their events from their cursor on, the rest all.
    const resume = points[Math.floor(points.length / 2)]?.state as StreamState;
    const rest = await syncFrom(sim, {
      streams: ["contacts_web_analytics"],
      config,
      state: new Map([["contacts_web_analytics", resume]]),
    });
    const want = direct.filter((e) => {
      const saved = (resume[String(e.objectId)] as Row | undefined)?.occurredAt;
      return saved === undefined || Date.parse(String(e.occurredAt)) >= Date.parse(String(saved));
    });
    expect(
      rest.sink
        .rows("contacts_web_analytics")
        .map((r) => r.id)
        .sort(),
    ).toEqual(want.map((e) => e.id).sort());
    expect(Object.keys(rest.states.get("contacts_web_analytics") ?? {}).length).toBe(
      new Set(direct.map((e) => e.objectId)).size,
    );
  });
});
