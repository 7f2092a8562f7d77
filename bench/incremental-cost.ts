/**
 * Incremental cost (question 4): requests of an incremental run after 1 % of the records changed, ÷ requests of the
 * first (full) run.
 *
 * What is measured: two `contacts` syncs in incremental mode, in-process, through the real source and pipeline
 * into a counting sink, against one simulator (rate limits off: this counts requests, it does not time them).
 * Run 1 starts without state, so it is the full sync (the engine picks list or search by its cost probe). Then
 * 1 % of the contacts change: 20 batches of updates spread over the id range, each batch at one simulated
 * millisecond (a bulk import or workflow touches many records at once), the simulated clock moving 1 minute
 * between batches. Run 2 starts from run 1's state. Requests are counted by the transport, every budget
 * included (list, search, exempt association reads, properties and scope look-ups); the ratio is
 * requests(run 2) ÷ requests(run 1), both from the same run of this script.
 *
 * Deletes: 0.1 % of the contacts are archived too; they come back as tombstones read from the recycle bin (one list
 * page per 100 archived records); a second incremental run with `emit_deletes: false` from the same state gives
 * what that costs.
 *
 * Data: simulator seed 1, 200,000 contacts (smoke: 2,000), 50 custom properties, associations to companies.
 *
 * Run: node --import tsx bench/incremental-cost.ts [--smoke] [--contacts 200000]
 *
 * Last numbers (2026-11-29, Node 20.20.2, shared 2-core AMD EPYC VM): 23 ÷ 3,885 requests = 0.59 %
 *   (1,940 changed, 1,941 re-delivered).
 * Reading: the incremental run should cost about (changed records ÷ 200 search pages) + their association reads
 * + a fixed few look-ups; a ratio near 1 % at 1 % changed means it reads only what changed. Records delivered in
 * run 2 above the number changed are re-reads (lookback window, page boundaries).
 */
import { startSimulator } from "../src/simulator/index.js";
import {
  type BenchReport,
  CountingSink,
  flag,
  ignoreRateHeaders,
  isMain,
  machine,
  numberOption,
  pct,
  round,
  syncInProcess,
} from "./lib.js";

export interface IncrementalCostOptions {
  smoke?: boolean;
  contacts?: number;
  /** Share of records changed between the runs (default 0.01). */
  changed?: number;
  log?: (line: string) => void;
}

const BATCHES = 20;

export async function run(options: IncrementalCostOptions = {}): Promise<BenchReport> {
  const smoke = options.smoke ?? false;
  const n = options.contacts ?? (smoke ? 2_000 : 200_000);
  const share = options.changed ?? 0.01;
  const log = options.log ?? (() => {});
  const m = machine();
  const sim = await startSimulator({ seed: 1, scale: "small", counts: { contacts: n }, rateLimits: false });
  try {
    const config = { requests_per_10s: 1_000_000, search_requests_per_second: 1_000 };
    const base = {
      url: sim.url,
      token: sim.credentials.privateAppToken,
      streams: ["contacts"],
      config,
      onSource: ignoreRateHeaders,
    } as const;
    const fullSink = new CountingSink();
    const full = await syncInProcess({ ...base, mode: "incremental", sink: fullSink });
    log(
      `incremental-cost full: ${fullSink.total()} records, ${full.stats.requests} requests in ${round(full.wallMs / 1000)} s`,
    );

    const portal = sim.portal;
    const live = portal.count("contacts");
    const changes = Math.max(1, Math.round(live * share));
    const ids: string[] = [];
    const stride = live / changes;
    for (let k = 0; k < changes; k++) ids.push(portal.idAt("contacts", Math.floor(k * stride)) as string);
    const per = Math.ceil(changes / BATCHES);
    for (let b = 0; b * per < changes; b++) {
      portal.advance(60_000);
      portal.bulkUpdate("contacts", ids.slice(b * per, (b + 1) * per), { firstname: `changed-${b}` });
    }
    // A few deletes too (0.1 %): they come back as tombstones, read from the recycle bin.
    const deletes = Math.max(1, Math.round(live * share * 0.1));
    const changed = new Set(ids);
    const victims: string[] = [];
    for (let i = 7; victims.length < deletes; i += 13) {
      const id = portal.idAt("contacts", i) as string;
      if (!changed.has(id)) victims.push(id);
    }
    for (const id of victims) portal.archive("contacts", id);
    portal.advance(60_000);
    const bin = portal.count("contacts", true);

    const incSink = new CountingSink();
    const inc = await syncInProcess({ ...base, mode: "incremental", sink: incSink, states: full.states });
    const tombstones = incSink.tombstones("contacts");
    log(
      `incremental-cost incremental: ${incSink.total()} records (${tombstones} tombstones), ${inc.stats.requests} requests`,
    );
    // The same run without deletes: what reading the recycle bin costs.
    const bare = await syncInProcess({
      ...base,
      config: { ...config, emit_deletes: false },
      mode: "incremental",
      sink: new CountingSink(),
      states: full.states,
    });
    const deleteCost = inc.stats.requests - bare.stats.requests;
    log(`incremental-cost deletes: ${deleteCost} requests for a bin of ${bin} (${deletes} new)`);

    const ratio = inc.stats.requests / Math.max(1, full.stats.requests);
    const failed = [...full.summaries, ...inc.summaries].filter((s) => s.status !== "complete");
    const delivered = incSink.total();
    return {
      name: "incremental-cost",
      question: "4. Incremental cost (1 % of contacts changed after a full sync)",
      goal: "incremental requests ÷ full requests ≤ 2 %",
      measured:
        `${pct(ratio, 2)} (${inc.stats.requests} ÷ ${full.stats.requests} requests; ` +
        `${delivered - tombstones} records re-delivered for ${changes} changed; ${tombstones} tombstones for ` +
        `${deletes} deletes, the recycle bin of ${bin} costing ${deleteCost} requests)`,
      met: smoke
        ? null
        : ratio <= 0.02 && !failed.length && delivered - tombstones >= changes && tombstones === deletes,
      method: `in-process, ${n} contacts, ${changes} changed in ${Math.ceil(changes / per)} same-millisecond batches`,
      machine: m,
      details: {
        contacts: n,
        changed: changes,
        full: {
          records: fullSink.total(),
          requests: full.stats.requests,
          byBudget: full.stats.byBudget,
          wallS: round(full.wallMs / 1000, 2),
        },
        incremental: {
          records: delivered,
          requests: inc.stats.requests,
          byBudget: inc.stats.byBudget,
          wallS: round(inc.wallMs / 1000, 2),
        },
        ratio: round(ratio, 5),
        deletes: { archived: deletes, tombstones, bin, requests: deleteCost },
        failed: failed.map((s) => `${s.stream}: ${s.reason}`),
        warnings: [...full.warnings, ...inc.warnings].slice(0, 10),
      },
    };
  } finally {
    await sim.close();
  }
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const report = await run({
    smoke: flag(argv, "smoke"),
    contacts: numberOption(argv, "contacts"),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
