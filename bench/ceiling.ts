/**
 * Ceiling ratio (question 1): how close a multi-stream full sync comes to HubSpot's rate ceiling.
 *
 * What is measured: a full-refresh sync of contacts, companies, deals, tickets, owners and the five engagements_*
 * streams, in-process, through the real source and pipeline (into a sink that only counts rows and checks ids for
 * duplicates), against the simulator with Professional-tier limits (190 requests per rolling 10 s; search 5/s on
 * its own budget; association batch reads exempt) and 50–150 ms latency on every response.
 *
 * The ceiling, for the request mix actually issued (S requests on the 10-s budget, Q search requests, E exempt):
 *   minimal time  t* = max(10 s × ⌊(S − 1) ÷ 190⌋, 1 s × ⌊(Q − 1) ÷ 5⌋)
 *   ceiling ratio    = t* ÷ actual wall time                      (1.0 = every budget-bound second used)
 * Why the floors: in a rolling window of 190 per 10 s, request i + 190 goes out at least 10 s after request i, so
 * the last of S requests cannot leave before 10 s × ⌊(S − 1) ÷ 190⌋ whatever the schedule; the same for search with
 * 5 per 1 s. (S ÷ 19/s would credit a rate no rolling window delivers at the start; (S − 190) ÷ 19/s credits one
 * it does not deliver at the end.) Exempt requests (association batch reads) have no budget and no term.
 * and, for the dataset rather than the mix: the best records/s if every page were full is 190/10 × 100 = 1,900
 * records/s through list pages alone, or 1,900 + 5 × 200 = 2,900 records/s if search pages ran beside them on
 * their own budget; records/s achieved is compared with both. Requests per record = all requests (exempt
 * included) ÷ records; 429 share = 429 answers ÷ all requests (counted by the transport).
 * Wall time runs from the start of the sync (scope and schema look-ups, property catalogs included) to its end.
 *
 * Data: simulator seed 1, tier pro; counts per stream below (80 k CRM records, 12 + 3 owners), 50 custom
 * properties on contacts. Variants run one after another in ONE process, each against a fresh simulator, so their
 * ratios are comparable within the run.
 *
 * Run: node --import tsx bench/ceiling.ts [--smoke] [--variants default,streams-4-single,…] [--scale 0.5]
 *
 * Last numbers (2026-11-29, Node 20.20.2, shared 2-core AMD EPYC VM, load ~2; more in bench/README.md):
 *   default (8 pagers per stream): 43.4 s, ratio 92.2 %, 1,790 records/s (94.2 % of 1,900), 0 429s, 0 duplicates;
 *   single pager (the engine before): 61.1 s, 65.5 %, 1,272 records/s — same run.
 * Reading: a ratio near 1 means the connector spends every second the rate limit allows; what is left is start-up
 * (serial look-ups before the first page) and rounding at the end. A 429 share above 0 means our budget
 * overshoots HubSpot's window (slack too small) and each 429 costs a pause.
 */
import { tap } from "rxjs";
import { crmReadTuning } from "../src/sources/crm/backfill.js";
import { WINDOW_SLACK_MS } from "../src/sources/transport.js";
import { startSimProcess } from "./ceiling/sim-process.js";
import {
  type BenchReport,
  CountingSink,
  flag,
  isMain,
  machine,
  numberOption,
  option,
  pct,
  round,
  syncInProcess,
} from "./lib.js";

export const CEILING_STREAMS = [
  "contacts",
  "companies",
  "deals",
  "tickets",
  "owners",
  "engagements_calls",
  "engagements_emails",
  "engagements_meetings",
  "engagements_notes",
  "engagements_tasks",
];

const MEDIUM_COUNTS: Record<string, number> = {
  contacts: 30_000,
  companies: 8_000,
  deals: 10_000,
  tickets: 6_000,
  calls: 6_000,
  emails: 6_000,
  meetings: 3_000,
  notes: 6_000,
  tasks: 5_000,
};

/** Issue 7's dataset: the three big CRM objects of a mid-size portal, 50 custom properties each. */
const ISSUE7_COUNTS: Record<string, number> = { contacts: 60_000, companies: 10_000, deals: 10_000 };
const ISSUE7_STREAMS = ["contacts", "companies", "deals"];

export const DATASETS: Record<string, { counts: Record<string, number>; streams: string[] }> = {
  mix: { counts: MEDIUM_COUNTS, streams: CEILING_STREAMS },
  issue7: { counts: ISSUE7_COUNTS, streams: ISSUE7_STREAMS },
};

const LIST_PER_S = 19;
const SEARCH_PER_S = 5;
const LIST_BURST = 190;
const SEARCH_BURST = 5;

/** A configuration to compare: raw connector config (snake_case) plus engine levers that are not user options. */
export interface CeilingVariant {
  name: string;
  config: Record<string, unknown>;
  tuning?: Partial<typeof crmReadTuning>;
  slackMs?: Partial<typeof WINDOW_SLACK_MS>;
  /** Extra simulator options (e.g. slower search). */
  simulator?: Record<string, unknown>;
}

export const VARIANTS: Record<string, CeilingVariant> = {
  default: { name: "default", config: {} },
  "streams-8": { name: "streams-8", config: { max_concurrent_streams: 8 } },
  "chains-3": { name: "chains-3", config: {}, tuning: { listChainsPerStream: 3 } },
  "chains-10": { name: "chains-10", config: {}, tuning: { listChainsPerStream: 10 } },
  "slack-75": { name: "slack-75", config: {}, slackMs: { standard: 75 } },
  "slack-300": { name: "slack-300", config: {}, slackMs: { standard: 300 } },
  "split-min-4": { name: "split-min-4", config: {}, tuning: { minPagesToSplit: 4 } },
  "split-min-8": { name: "split-min-8", config: {}, tuning: { minPagesToSplit: 8 } },
  "headroom-1": { name: "headroom-1", config: {}, tuning: { laneHeadroom: 1 } },
  "headroom-0.8": { name: "headroom-0.8", config: {}, tuning: { laneHeadroom: 0.8 } },
  "headroom-1.5": { name: "headroom-1.5", config: {}, tuning: { laneHeadroom: 1.5 } },
  "settle-2": { name: "settle-2", config: {}, tuning: { searchSettleMs: 2_000 } },
  "search-3x": { name: "search-3x", config: {}, simulator: { searchLatencyFactor: 3 } },
  "chains-16": { name: "chains-16", config: {}, tuning: { listChainsPerStream: 16 } },
  "single-pager": { name: "single-pager", config: {}, tuning: { listChainsPerStream: 1 } },
  "single-pager-streams-8": {
    name: "single-pager-streams-8",
    config: { max_concurrent_streams: 8 },
    tuning: { listChainsPerStream: 1 },
  },
};

function perWindow(times: readonly number[], windowMs: number): number[] {
  const out: number[] = [];
  for (const t of times) {
    const i = Math.floor(t / windowMs);
    while (out.length <= i) out.push(0);
    out[i] = (out[i] as number) + 1;
  }
  return out;
}

export interface CeilingOptions {
  smoke?: boolean;
  /** Which counts and streams (default "issue7": contacts 60k, companies 10k, deals 10k). */
  dataset?: string;
  /** Sync modes to run each variant in (default both: a full refresh and a first incremental sync, no state). */
  modes?: readonly ("full_refresh" | "incremental")[];
  /** Multiplies every count (default 1; smoke 0.01). */
  scale?: number;
  variants?: readonly string[];
  latencyMs?: [number, number];
  log?: (line: string) => void;
}

export interface VariantResult {
  variant: string;
  mode: "full_refresh" | "incremental";
  /** Peak RSS of the whole bench process (connector and simulator together), MB. */
  peakRssMb: number;
  config: Record<string, unknown>;
  records: number;
  wallS: number;
  requests: { total: number; standard: number; search: number; exempt: number };
  rateLimited: number;
  retries: number;
  simRateLimited: number;
  /** 429 answers per route pattern, as the simulator counted them. */
  rateLimitedByRoute: Record<string, number>;
  minimalS: number;
  ceilingRatio: number;
  recordsPerS: number;
  /** records/s ÷ 1,900 (list pages alone, all full). */
  ofListBest: number;
  /** records/s ÷ 2,900 (list and search pages side by side, all full). */
  ofCombinedBest: number;
  requestsPerRecord: number;
  share429: number;
  /** Standard-budget grants in consecutive 10.15-s windows from the start: 190 each means the budget was saturated. */
  grantsPerWindow: number[];
  /** Search-budget grants per second from the start: 5 each means search was saturated. */
  searchGrantsPerSecond: number[];
  /** Ten-secondly grants per second from the start (19 each is the sustained ceiling). */
  listGrantsPerSecond: number[];
  firstGrantMs: number;
  lastGrantMs: number;
  /** When the 10th, 50th, 100th, 150th and 190th grant happened: how fast the first window's burst went out. */
  rampMs: number[];
  /** Per stream: seconds from the sync's start to its STARTED and to its COMPLETE. */
  streamSeconds: Record<string, [number, number]>;
  duplicates: number;
  failed: string[];
}

async function runVariant(
  variant: CeilingVariant,
  dataset: { counts: Record<string, number>; streams: string[] },
  mode: "full_refresh" | "incremental",
  latencyMs: [number, number] | undefined,
): Promise<VariantResult> {
  const { counts, streams } = dataset;
  const sim = await startSimProcess({ seed: 1, scale: "small", counts, tier: "pro", latencyMs, ...variant.simulator });
  const config: Record<string, unknown> = { ...variant.config };
  const saved = { ...crmReadTuning };
  const savedSlack = { ...WINDOW_SLACK_MS };
  Object.assign(crmReadTuning, variant.tuning ?? {});
  Object.assign(WINDOW_SLACK_MS, variant.slackMs ?? {});
  const sink = new CountingSink();
  const grants: number[] = [];
  const searchGrants: number[] = [];
  const timeline: Record<string, [number, number]> = {};
  let t0 = 0;
  try {
    const run = await syncInProcess({
      onStatus: (stream, status) => {
        const at = Math.round((performance.now() - t0) / 100) / 10;
        if (status === "STARTED") timeline[stream] = [at, Number.NaN];
        else if (status === "COMPLETE" || status === "INCOMPLETE") (timeline[stream] as [number, number])[1] = at;
      },
      onSource: (source) => {
        t0 = performance.now();
        const budget = source.transport.budgets.standard;
        const acquire = budget.acquire.bind(budget);
        budget.acquire = () => acquire().pipe(tap(() => grants.push(performance.now() - t0)));
        const search = source.transport.budgets.search;
        const acquireSearch = search.acquire.bind(search);
        search.acquire = () => acquireSearch().pipe(tap(() => searchGrants.push(performance.now() - t0)));
      },
      url: sim.url,
      token: sim.token,
      streams,
      mode,
      sink,
      config,
    });
    const s = run.stats;
    const simStats = await sim.stats();
    const records = sink.total(streams);
    const wallS = run.wallMs / 1000;
    const minimalS = Math.max(
      10 * Math.floor(Math.max(0, s.byBudget.standard - 1) / LIST_BURST),
      Math.floor(Math.max(0, s.byBudget.search - 1) / SEARCH_BURST),
    );
    const rps = records / wallS;
    return {
      variant: variant.name,
      mode,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      config: { ...variant.config, ...variant.tuning, ...(variant.slackMs ? { slackMs: variant.slackMs } : {}) },
      records,
      wallS: round(wallS, 2),
      requests: { total: s.requests, ...s.byBudget },
      rateLimited: s.rateLimited,
      retries: s.retries,
      simRateLimited: simStats.rateLimited,
      rateLimitedByRoute: Object.fromEntries(
        simStats.routes.filter((r) => r.status === 429).map((r) => [r.route, r.requests]),
      ),
      minimalS: round(minimalS, 2),
      ceilingRatio: round(minimalS / wallS, 3),
      recordsPerS: round(rps, 0),
      ofListBest: round(rps / (LIST_PER_S * 100), 3),
      ofCombinedBest: round(rps / (LIST_PER_S * 100 + SEARCH_PER_S * 200), 3),
      requestsPerRecord: round(s.requests / Math.max(1, records), 4),
      share429: round(s.rateLimited / Math.max(1, s.requests), 4),
      grantsPerWindow: perWindow(grants, 10_150),
      searchGrantsPerSecond: perWindow(searchGrants, 1_000),
      listGrantsPerSecond: perWindow(grants, 1_000),
      firstGrantMs: Math.round(grants[0] ?? 0),
      lastGrantMs: Math.round(grants[grants.length - 1] ?? 0),
      rampMs: [10, 50, 100, 150, 190].map((k) => Math.round(grants[k - 1] ?? Number.NaN)),
      streamSeconds: timeline,
      duplicates: [...sink.duplicates.values()].reduce((a, b) => a + b, 0),
      failed: run.summaries.filter((x) => x.status !== "complete").map((x) => `${x.stream}: ${x.reason}`),
    };
  } finally {
    Object.assign(crmReadTuning, saved);
    Object.assign(WINDOW_SLACK_MS, savedSlack);
    await sim.close();
  }
}

export async function run(options: CeilingOptions = {}): Promise<BenchReport> {
  const smoke = options.smoke ?? false;
  const scale = options.scale ?? (smoke ? 0.01 : 1);
  const datasetName = options.dataset ?? "issue7";
  const base = DATASETS[datasetName];
  if (!base) throw new Error(`unknown dataset ${datasetName}; known: ${Object.keys(DATASETS).join(", ")}`);
  const counts = Object.fromEntries(
    Object.entries(base.counts).map(([k, v]) => [k, Math.max(1, Math.round(v * scale))]),
  );
  const dataset = { counts, streams: base.streams };
  const latencyMs = options.latencyMs ?? (smoke ? undefined : ([50, 150] as [number, number]));
  // HubSpot's search answers slower than its list: the engine must keep both budgets busy either way.
  const names = options.variants ?? (smoke ? ["default"] : ["default", "search-3x"]);
  const modes = options.modes ?? ["full_refresh", "incremental"];
  const log = options.log ?? (() => {});
  const m = machine();
  const results: VariantResult[] = [];
  for (const name of names) {
    const v = VARIANTS[name];
    if (!v) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(", ")}`);
    for (const mode of modes) {
      const r = await runVariant(v, dataset, mode, latencyMs);
      log(
        `ceiling ${name} ${mode}: ${r.records} records in ${r.wallS} s, ratio ${pct(r.ceilingRatio)}, ${r.recordsPerS} rec/s ` +
          `(${pct(r.ofCombinedBest)} of 2,900), req ${JSON.stringify(r.requests)}, 429 ${r.rateLimited}, dup ${r.duplicates}, ` +
          `429 by route ${JSON.stringify(r.rateLimitedByRoute)}, rss ${r.peakRssMb} MB, grants/window ${r.grantsPerWindow.join(",")}, search/s ${r.searchGrantsPerSecond.join("")}, list/s ${r.listGrantsPerSecond.join(",")}, ramp ${r.rampMs.join("/")} ms` +
          (r.failed.length ? `, FAILED ${r.failed.join("; ")}` : ""),
      );
      results.push(r);
    }
  }
  const heads = results.filter((r) => r.variant === names[0]);
  const worst = heads.reduce((a, b) => (b.ceilingRatio < a.ceilingRatio ? b : a));
  const met = smoke
    ? null
    : heads.every((r) => r.ceilingRatio >= 0.95 && r.share429 < 0.01 && r.duplicates === 0 && !r.failed.length);
  const line = (r: VariantResult) =>
    `${r.mode}: ${pct(r.ceilingRatio)} of t*, ${pct(r.ofCombinedBest)} of 2,900 rec/s (${r.recordsPerS}), ` +
    `${pct(r.share429, 2)} 429s, ${r.requestsPerRecord} req/record, ${r.peakRssMb} MB`;
  return {
    name: "ceiling",
    question: "1. Ceiling ratio (CRM sync, Pro limits, 50–150 ms latency, list and search budgets)",
    goal: "≥ 95 % of the combined ceiling in both modes, < 1 % 429s",
    measured: heads.map(line).join("; "),
    met,
    method: `in-process ${modes.join(" + ")} of ${base.streams.join(", ")} (${worst.records} records), sim tier pro, latency ${latencyMs ? latencyMs.join("–") : 0} ms; variant "${names[0]}" is the headline`,
    machine: m,
    details: { dataset: datasetName, counts, latencyMs, variants: results },
  };
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const variants = option(argv, "variants")?.split(",");
  const modes = option(argv, "modes")?.split(",") as ("full_refresh" | "incremental")[] | undefined;
  const report = await run({
    smoke: flag(argv, "smoke"),
    scale: numberOption(argv, "scale"),
    dataset: option(argv, "dataset"),
    modes,
    variants,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
