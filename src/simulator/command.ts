/** `source-hubspot simulate`: runs the simulator until SIGINT/SIGTERM, printing one JSON line on stdout. */
import { writeFile } from "node:fs/promises";
import { canonicalTier, type RateLimitTier, tierBurstPer10s } from "../config.js";
import { parseFaults, type SimulatorHandle, startSimulator } from "./index.js";
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
  /** A `rate_limit_tier` name (free, starter, professional, enterprise, api_add_on) or an alias (pro, addon). */
  tier?: string;
  /** Write a config for this simulator to this file (private-app token unless `oauth`), before the JSON line. */
  writeConfig?: string;
  /** The written config uses the OAuth app's credentials instead of the private app token. */
  oauth?: boolean;
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

/** The simulator's tier for a config tier: starter has free's limits, the add-on is the simulator's `addon`. */
const SIMULATED_TIER: Record<RateLimitTier, Tier> = {
  free: "free",
  starter: "free",
  professional: "pro",
  enterprise: "enterprise",
  api_add_on: "addon",
};

/** A tier as `rate_limit_tier` spells it, from either spelling. */
export function configTier(name: string | undefined): RateLimitTier {
  const tier = canonicalTier(name ?? "professional");
  if (!(tier in tierBurstPer10s)) {
    throw new Error(`invalid tier ${name}: use ${Object.keys(tierBurstPer10s).join(", ")}`);
  }
  return tier as RateLimitTier;
}

/** HubSpot holds an OAuth app to 100 requests per 10 s per account whatever the tier; so does the simulator. */
const OAUTH_APP_PER_10S = 100;

/**
 * A config that reaches the simulator: its URL, its credentials and its request budget, so `check`, `discover`,
 * `read` and `sync` run against it as they would against HubSpot.
 */
export function simulatorConfig(sim: SimulatorHandle, tier: RateLimitTier, oauth = false): Record<string, unknown> {
  const c = sim.credentials;
  if (!oauth) {
    const credentials = { credentials_title: "Private App Credentials", access_token: c.privateAppToken };
    return { credentials, base_url: sim.url, rate_limit_tier: tier };
  }
  const credentials = {
    credentials_title: "OAuth Credentials",
    client_id: c.oauth.clientId,
    client_secret: c.oauth.clientSecret,
    refresh_token: c.oauth.refreshToken,
  };
  return { credentials, base_url: sim.url, requests_per_10s: OAUTH_APP_PER_10S };
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
  const rateLimitTier = configTier(o.tier);
  const tier = SIMULATED_TIER[rateLimitTier];
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
    `simulator: listening on ${sim.url} (seed ${opts.seed}, scale ${scale}, tier ${rateLimitTier}) in ${Date.now() - t0} ms\n`,
  );
  if (o.writeConfig) {
    const config = simulatorConfig(sim, rateLimitTier, o.oauth);
    await writeFile(o.writeConfig, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    process.stderr.write(`simulator: wrote ${o.oauth ? "an OAuth" : "a private-app"} config to ${o.writeConfig}\n`);
  }
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
