/** Route matching: `:name` segments, trailing slash and date-versioned path aliases accepted. */
import type { SimRequest, SimRoute } from "./types.js";

interface Compiled {
  route: SimRoute;
  segs: string[];
  literals: number;
}

export interface Match {
  route: SimRoute;
  params: Record<string, string>;
}

/** Strips a trailing slash and maps dated API versions (`/crm/objects/2026-03/…`) to their v3 equivalents. */
export function normalizePath(path: string): string {
  let p = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  p = p.replace(/^\/crm\/objects\/\d{4}-\d{2}\//, "/crm/v3/objects/");
  p = p.replace(/^\/oauth\/\d{4}-\d{2}\/token$/, "/oauth/v1/token");
  return p;
}

export class Router {
  private readonly byShape = new Map<string, Compiled[]>();

  constructor(routes: readonly SimRoute[]) {
    for (const route of routes) {
      const segs = normalizePath(route.pattern).split("/").slice(1);
      const key = `${route.method} ${segs.length}`;
      const list = this.byShape.get(key) ?? [];
      list.push({ route, segs, literals: segs.filter((s) => !s.startsWith(":")).length });
      // More literal segments win: "/crm/v3/objects/:type/search" beats "/crm/v3/objects/:type/:id".
      list.sort((a, b) => b.literals - a.literals);
      this.byShape.set(key, list);
    }
  }

  match(method: SimRequest["method"], path: string): Match | undefined {
    const parts = path.split("/").slice(1);
    const list = this.byShape.get(`${method} ${parts.length}`);
    if (!list) return undefined;
    outer: for (const c of list) {
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const s = c.segs[i]!;
        if (s.startsWith(":")) {
          let v = parts[i]!;
          try {
            v = decodeURIComponent(v);
          } catch {
            // keep the raw segment
          }
          params[s.slice(1)] = v;
        } else if (s !== parts[i]) continue outer;
      }
      return { route: c.route, params };
    }
    return undefined;
  }

  /** Whether any route exists for the path under another method (for 405 vs 404). */
  hasPath(path: string): boolean {
    return (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).some((m) => this.match(m, path));
  }
}
