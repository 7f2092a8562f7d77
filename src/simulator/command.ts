/** `source-hubspot simulate`: runs the simulator until SIGINT/SIGTERM, printing one JSON line on stdout. */
import { parseFaults, startSimulator } from "./index.js";
import type { Scale } from "./object-types.js";
import type { SimulatorOptions } from "./options.js";
import type { Tier } from "./rate-limit.js";

export interface SimulateCommandOptions {
  port?: number;
  host?: string;
  seed?: number;
  scale?: string;
  /** Shortcut for counts.contacts. */
  contacts?: number;
  /** "contacts=1000,companies=50" or an object. */
  counts?: string | Record<string, number>;
  tier?: string;
  /** CLI fault string, e.g. "429:0.01,reset:0.005,500@/crm/v3/objects/contacts:0.02". */
  faults?: string;
  /** "50-150" (ms) or a single number. */
  latencyMs?: string;
  /** Search latency = latencyMs × this (default 1). */
  searchLatencyFactor?: number;
  rateLimits?: boolean;
  searchIndexLagMs?: number;
  now?: string;
}

/** Parses "50-150" / "80" into [min, max]. */
export function parseLatency(s: string | undefined): [number, number] | undefined {
  if (!s) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) throw new Error(`invalid latency "${s}" (expected e.g. 50-150)`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (b < a) throw new Error(`invalid latency "${s}": max < min`);
  return [a, b];
}

function parseCounts(c: SimulateCommandOptions["counts"]): Record<string, number> {
  if (!c) return {};
  if (typeof c !== "string") return c;
  return Object.fromEntries(
    c.split(",").map((kv) => {
      const [k, v] = kv.split("=");
      if (!k || v === undefined || !/^\d+$/.test(v)) throw new Error(`invalid counts entry "${kv}"`);
      return [k.trim(), Number(v)];
    }),
  );
}

/**
 * Starts the simulator, prints exactly one JSON line
 * `{"url","private_app_token","oauth":{"client_id","client_secret","refresh_token"}}` to stdout, logs to
 * stderr, and resolves after SIGINT/SIGTERM once the server is closed.
 */
export async function simulateCommand(o: SimulateCommandOptions): Promise<void> {
  const scale = (o.scale ?? "small") as Scale;
  if (!["small", "medium", "large"].includes(scale)) throw new Error(`invalid scale ${o.scale}`);
  const tier = (o.tier ?? "pro") as Tier;
  if (!["free", "pro", "enterprise", "addon"].includes(tier)) throw new Error(`invalid tier ${o.tier}`);
  const counts = parseCounts(o.counts);
  if (o.contacts !== undefined) counts.contacts = o.contacts;
  const opts: SimulatorOptions = {
    port: o.port ?? 0,
    host: o.host,
    seed: o.seed ?? 1,
    scale,
    counts,
    tier,
    faults: parseFaults(o.faults),
    latencyMs: parseLatency(o.latencyMs),
    searchLatencyFactor: o.searchLatencyFactor,
    rateLimits: o.rateLimits,
    searchIndexLagMs: o.searchIndexLagMs,
    now: o.now,
  };
  const t0 = Date.now();
  const sim = await startSimulator(opts);
  process.stderr.write(
    `simulator: listening on ${sim.url} (seed ${opts.seed}, scale ${scale}, tier ${tier}) in ${Date.now() - t0} ms\n`,
  );
  process.stdout.write(
    JSON.stringify({
      url: sim.url,
      private_app_token: sim.credentials.privateAppToken,
      oauth: {
        client_id: sim.credentials.oauth.clientId,
        client_secret: sim.credentials.oauth.clientSecret,
        refresh_token: sim.credentials.oauth.refreshToken,
      },
    }) + "\n",
  );
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      process.stderr.write(`simulator: ${sig}, closing (${sim.stats().totalRequests} requests served)\n`);
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve();
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
  await sim.close();
}
