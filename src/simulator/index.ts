/**
 * A faithful, hostile HubSpot API simulator on node:http: seeded deterministic portal, HubSpot's paging,
 * limits, headers, error bodies, auth, rate limits and injected faults.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthStore } from "./auth.js";
import { FaultPlan } from "./faults.js";
import { buildObjectTypes } from "./object-types.js";
import { OWNER_COUNTS, resolveNow, type SimulatorOptions } from "./options.js";
import { Portal } from "./portal.js";
import { RateLimiter } from "./rate-limit.js";
import { Router } from "./router.js";
import { authRoutes } from "./routes/auth-routes.js";
import { crmAssociationRoutes } from "./routes/crm-associations.js";
import { crmDealSplitRoutes } from "./routes/crm-deal-splits.js";
import { crmMetaRoutes } from "./routes/crm-meta.js";
import { crmObjectRoutes } from "./routes/crm-objects.js";
import { crmPropertyRoutes, PropertyCatalog } from "./routes/crm-properties.js";
import { crmSearchRoutes } from "./routes/crm-search.js";
import { extraRoutes } from "./routes/extra.js";
import { createListener } from "./server.js";
import { type SimStats, StatsRecorder } from "./stats.js";

export type { FaultKind, FaultRule } from "./faults.js";
export { parseFaults } from "./faults.js";
export type { SimulatorOptions } from "./options.js";
export type { Portal } from "./portal.js";
export type { SimStats } from "./stats.js";

export interface SimulatorCredentials {
  /** Private-app token holding every scope. */
  privateAppToken: string;
  oauth: { clientId: string; clientSecret: string; refreshToken: string };
}

export interface SimulatorHandle {
  /** Base URL, e.g. http://127.0.0.1:43123 (use as the client's basePath). */
  url: string;
  portal: Portal;
  credentials: SimulatorCredentials;
  stats(): SimStats;
  /** A new private-app token with exactly these scopes (e.g. to provoke 403 MISSING_SCOPES). */
  issueToken(scopes: string[]): string;
  /** Expires every OAuth access token issued so far (next use → 401 EXPIRED_AUTHENTICATION). */
  expireAccessTokens(): void;
  /** The refresh token currently valid (changes after each refresh when rotation is on). */
  currentRefreshToken(): string;
  close(): Promise<void>;
}

/** Seeded record counts for the options (scale preset, overridden per type by `counts`). */
export function resolveCounts(seed: number, opts: SimulatorOptions): Record<string, number> {
  const scale = opts.scale ?? "small";
  const defs = buildObjectTypes(seed, 0);
  const out: Record<string, number> = {};
  for (const d of defs) out[d.name] = d.counts[scale];
  for (const [k, v] of Object.entries(opts.counts ?? {})) {
    const d = defs.find((x) => [x.name, x.singular, x.custom?.shortName, ...x.aliases].includes(k));
    if (!d) throw new Error(`unknown object type in counts: ${k}`);
    if (!(Number.isInteger(v) && v >= 0)) throw new Error(`invalid count for ${k}: ${v}`);
    out[d.name] = v;
  }
  return out;
}

function validFactor(f: number | undefined): number {
  if (f === undefined) return 1;
  if (!(Number.isFinite(f) && f >= 0)) throw new Error(`invalid searchLatencyFactor: ${f}`);
  return f;
}

/** Builds the portal alone (no server), e.g. for benchmarks and generators. */
export function createPortal(opts: SimulatorOptions = {}): Portal {
  const seed = opts.seed ?? 1;
  return new Portal({
    seed,
    counts: resolveCounts(seed, opts),
    now: resolveNow(opts.now),
    propertiesPerObject: opts.propertiesPerObject ?? 50,
    searchIndexLagMs: opts.searchIndexLagMs ?? 0,
    searchIndexLagHides: opts.searchIndexLagHides ?? false,
    owners: opts.owners ? [opts.owners.active, opts.owners.archived] : OWNER_COUNTS[opts.scale ?? "small"],
  });
}

/**
 * Starts the simulator on `host:port` (default 127.0.0.1, random port).
 *
 * @example
 * const sim = await startSimulator({ seed: 7, scale: "small" });
 * const res = await fetch(`${sim.url}/crm/v3/objects/contacts?limit=100`, {
 *   headers: { authorization: `Bearer ${sim.credentials.privateAppToken}` },
 * });
 * await sim.close();
 */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const seed = opts.seed ?? 1;
  const portal = createPortal(opts);
  const auth = new AuthStore(
    seed,
    portal.portalId,
    {
      accessTokenTtlSec: opts.oauth?.accessTokenTtlSec ?? 1800,
      rotateRefreshToken: opts.oauth?.rotateRefreshToken ?? false,
    },
    () => portal.now(),
  );
  const limiter = new RateLimiter(
    opts.tier ?? "pro",
    opts.rateLimits !== false,
    opts.limits,
    opts.rateLimitClock === "simulated" ? () => portal.now() : Date.now,
  );
  const stats = new StatsRecorder();
  let url = "";
  const baseUrl = () => url;
  const catalog = new PropertyCatalog(portal);
  const router = new Router([
    ...crmSearchRoutes(portal),
    ...crmObjectRoutes({ portal, baseUrl, listCursor: opts.listCursor }),
    ...crmDealSplitRoutes(portal),
    ...crmAssociationRoutes(portal),
    ...crmPropertyRoutes(portal, catalog),
    ...crmMetaRoutes(portal, catalog, baseUrl),
    ...authRoutes(auth, limiter),
    ...extraRoutes,
  ]);
  const listener = createListener({
    seed,
    portal,
    router,
    auth,
    limiter,
    faults: new FaultPlan(opts.faults ?? [], seed),
    stats,
    latencyMs: opts.latencyMs,
    searchLatencyFactor: validFactor(opts.searchLatencyFactor),
    maxRequestTargetLength: opts.maxRequestTargetLength ?? 16_300,
  });
  // Node's default 16 KiB header cap would answer long URLs with 431 before HubSpot's 414 rule applies.
  const server = createServer({ maxHeaderSize: 1 << 20, keepAliveTimeout: 30_000 }, listener);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host}:${port}`;
  return {
    url,
    portal,
    credentials: {
      privateAppToken: auth.privateAppToken,
      oauth: { clientId: auth.clientId, clientSecret: auth.clientSecret, refreshToken: auth.refreshToken },
    },
    stats: () => stats.snapshot(),
    issueToken: (scopes) => auth.issueToken(scopes),
    expireAccessTokens: () => auth.expireAll(),
    currentRefreshToken: () => auth.refreshToken,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
