/**
 * CRM search execution. Each filter group picks the cheapest "driver" to enumerate candidates — a window on
 * the last-modified property (a rank range, see TypeData), an hs_object_id range (an index range), or a
 * full scan — then evaluates all its filters; groups are OR-ed. Result index lists are cached per query and
 * portal version so paging a large result does not redo the work.
 */
import type { PropSpec } from "./data/property-specs.js";
import type { VersionFilter } from "./overlay.js";
import { lowerBound, type Portal, type RecState } from "./portal.js";
import { compileFilter, type Filter, type Pred, rangeOf } from "./search-filter.js";
import type { TypeData } from "./type-data.js";

export interface SortRule {
  propertyName: string;
  direction: "ASCENDING" | "DESCENDING";
}

export interface CompiledQuery {
  groups: Filter[][];
  sort: SortRule;
  query?: string;
}

interface Candidate {
  index: number;
  st: RecState;
}

/** Executes a query; returns matching record indices in result order. */
export function runSearch(portal: Portal, td: TypeData, q: CompiledQuery, visible?: VersionFilter): Int32Array {
  const groups = q.groups.length ? q.groups : [[]];
  const seen = groups.length > 1 ? new Set<number>() : undefined;
  const hits: Candidate[] = [];
  for (const g of groups) {
    const preds = g.map((f) => compileGroupFilter(portal, td, f));
    const queryPred = q.query ? queryPredicate(td, q.query) : undefined;
    enumerate(portal, td, g, visible, (c) => {
      if (seen?.has(c.index)) return;
      const ctx = td.ctx(c.index);
      for (const p of preds) if (!p(c, ctx)) return;
      if (queryPred && !queryPred((name) => propValue(portal, td, c.st, ctx, name))) return;
      seen?.add(c.index);
      hits.push(c);
    });
  }
  sortHits(portal, td, hits, q.sort);
  return Int32Array.from(hits, (h) => h.index);
}

type GroupPred = (c: Candidate, ctx: ReturnType<TypeData["ctx"]>) => boolean;

function propValue(portal: Portal, td: TypeData, st: RecState, ctx: ReturnType<TypeData["ctx"]>, name: string) {
  const spec = td.specByName.get(name);
  return spec ? portal.value(td, st, ctx, spec) : null;
}

function compileGroupFilter(portal: Portal, td: TypeData, f: Filter): GroupPred {
  const assoc = /^associations\.(.+)$/.exec(f.propertyName);
  if (assoc) {
    const to = portal.typeData(assoc[1]!);
    const wanted = new Set((f.values ?? [f.value]).map(String));
    return (c) => portal.edges(td, c.index, to).some((e) => wanted.has(to.ids.id(e.index))) === (f.operator !== "NEQ");
  }
  const spec = td.specByName.get(f.propertyName) as PropSpec;
  const pred: Pred = compileFilter(f, spec);
  return (c, ctx) => pred(portal.value(td, c.st, ctx, spec));
}

function queryPredicate(td: TypeData, query: string) {
  const needle = query.toLowerCase().replace(/\*/g, "");
  const names = td.def.defaultProps.filter((n) => td.specByName.get(n)?.type === "string");
  return (get: (name: string) => string | null) => names.some((n) => (get(n) ?? "").toLowerCase().includes(needle));
}

/** Calls `visit` for every existing, non-archived record that may match the group (a superset). */
function enumerate(
  portal: Portal,
  td: TypeData,
  group: Filter[],
  visible: VersionFilter | undefined,
  visit: (c: Candidate) => void,
): void {
  const total = portal.total(td);
  let idLo = 0;
  let idHi = total - 1;
  let tLo = Number.NEGATIVE_INFINITY;
  let tHi = Number.POSITIVE_INFINITY;
  for (const f of group) {
    if (f.propertyName === "hs_object_id") {
      const r = rangeOf(f, false);
      if (r) {
        idLo = Math.max(idLo, r[0] === Number.NEGATIVE_INFINITY ? 0 : td.ids.lowerBound(r[0]));
        idHi = Math.min(idHi, r[1] === Number.POSITIVE_INFINITY ? total - 1 : td.ids.lowerBound(r[1] + 1) - 1);
      }
    } else if (f.propertyName === td.def.modifiedProp) {
      const r = rangeOf(f, true);
      if (r) {
        tLo = Math.max(tLo, r[0]);
        tHi = Math.min(tHi, r[1]);
      }
    }
  }
  if (idLo > idHi || tLo > tHi) return;
  const check = (index: number) => {
    const st = portal.state(td, index, visible);
    if (st.exists && !st.archived) visit({ index, st });
  };
  const timeBounded = tLo !== Number.NEGATIVE_INFINITY || tHi !== Number.POSITIVE_INFINITY;
  const rLo = timeBounded ? td.rankLowerBound(tLo) : 0;
  const rHi = timeBounded ? td.rankLowerBound(tHi + 1) : td.n;
  if (timeBounded && rHi - rLo < idHi - idLo + 1) {
    const muts = portal.mutated(td);
    for (let r = rLo; r < rHi; r++) {
      const i = td.perm.inverse(r);
      if (i >= idLo && i <= idHi && !muts.has(i)) check(i);
    }
    // Mutated and created records have their own updatedAt: checked individually (filters re-test the time).
    for (const i of muts.keys()) if (i >= idLo && i <= idHi) check(i);
    return;
  }
  for (let i = idLo; i <= idHi; i++) check(i);
}

function sortHits(portal: Portal, td: TypeData, hits: Candidate[], sort: SortRule): void {
  const dir = sort.direction === "DESCENDING" ? -1 : 1;
  const name = sort.propertyName;
  const spec = td.specByName.get(name);
  let key: (c: Candidate) => number | string;
  if (!spec || spec.gen === "id") key = (c) => c.index;
  else if (spec.gen === "modified") key = (c) => c.st.updatedAt;
  else if (spec.gen === "created") key = (c) => c.st.createdAt;
  else {
    const cache = new Map<number, number | string>();
    const numeric = spec.type === "number" || spec.type === "datetime" || spec.type === "date";
    key = (c) => {
      let k = cache.get(c.index);
      if (k === undefined) {
        const v = portal.value(td, c.st, td.ctx(c.index), spec);
        k = numeric
          ? v
            ? spec.type === "number"
              ? Number(v)
              : Date.parse(v)
            : Number.NEGATIVE_INFINITY
          : (v ?? "").toLowerCase();
        cache.set(c.index, k);
      }
      return k;
    };
  }
  if (!spec || spec.gen === "id") {
    hits.sort((a, b) => dir * (a.index - b.index));
    return;
  }
  hits.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -dir;
    if (ka > kb) return dir;
    return a.index - b.index;
  });
}

/** Small LRU of query results keyed by query text + portal version. */
export class SearchCache {
  private readonly map = new Map<string, Int32Array>();
  constructor(private readonly size = 16) {}
  get(key: string): Int32Array | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: Int32Array): void {
    this.map.set(key, v);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

export { lowerBound };
