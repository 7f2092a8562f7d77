// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
/**
 * Calls the extra routes the way the simulator's router would: match method and pattern, capture
 * `:params`, and hand the handler a SimRequest. Scope checks are the core's job and are not redone here.
 */
import { extraRoutes } from "../../../src/simulator/routes/extra.js";
import type { PortalView, SimRequest, SimResult, SimRoute } from "../../../src/simulator/types.js";

/** Every scope the extra routes ask for, plus sales-email-read. */
export const ALL_SCOPES: ReadonlySet<string> = new Set([...extraRoutes.flatMap((r) => r.scopes), "sales-email-read"]);

function match(route: SimRoute, path: string): Record<string, string> | undefined {
  const want = route.pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(":")) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return params;
}

/** Finds the route serving a request; literal segments win over `:params`, as the core's router does. */
export function findRoute(
  method: SimRequest["method"],
  path: string,
): { route: SimRoute; params: Record<string, string> } {
  const hits = extraRoutes
    .filter((r) => r.method === method)
    .map((route) => ({ route, params: match(route, path) }))
    .filter((h): h is { route: SimRoute; params: Record<string, string> } => h.params !== undefined)
    .sort((a, b) => Object.keys(a.params).length - Object.keys(b.params).length);
  const hit = hits[0];
  if (!hit) throw new Error(`no route for ${method} ${path}`);
  return hit;
}

/** Options for {@link call}. */
export interface CallOptions {
  method?: SimRequest["method"];
  body?: unknown;
  scopes?: ReadonlySet<string>;
}

/** Runs one request through the matching route; `url` may carry a query string. */
export function call(portal: PortalView, url: string, options: CallOptions = {}): SimResult & { body: any } {
  const method = options.method ?? "GET";
  const [path = "", qs = ""] = url.split("?");
  const { route, params } = findRoute(method, path);
  const req: SimRequest = {
    method,
    path,
    params,
    query: new URLSearchParams(qs),
    body: options.body,
    scopes: options.scopes ?? ALL_SCOPES,
  };
  // Handlers must return JSON-encodable bodies; a round trip proves it and detaches shared references.
  const result = route.handle(req, portal);
  return { ...result, body: JSON.parse(JSON.stringify(result.body)) };
}
