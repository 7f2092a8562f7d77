/** Shared pieces of the CRM object routes: parameter parsing, type resolution, record encoding. */

import type { ByteWriter } from "../byte-writer.js";
import { isoMs } from "../data/values.js";
import { checkScopes, validationError } from "../errors.js";
import type { Portal, RecState } from "../portal.js";
import { hash2 } from "../rng.js";
import { keyJson, recordJson, strJson } from "../serialize.js";
import type { TypeData } from "../type-data.js";
import type { SimRequest, SimResult } from "../types.js";

/** Values of a multi-valued query parameter, accepting both `a,b` and repeated `p=a&p=b`. */
export function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const all = q.getAll(name);
  if (!all.length) return undefined;
  return all
    .flatMap((v) => v.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A list from a JSON body field (array of strings, or a comma string). */
export function bodyList(v: unknown): string[] | undefined {
  if (Array.isArray(v))
    return v
      .map(String)
      .flatMap((s) => s.split(","))
      .filter(Boolean);
  if (typeof v === "string") return v.split(",").filter(Boolean);
  return undefined;
}

/** Resolves the :type segment and checks the caller's scopes for it. */
export function resolveType(portal: Portal, req: SimRequest, segment: string): TypeData | SimResult {
  const def = portal.resolver.resolve(segment);
  if (!def) return validationError(`Unable to infer object type from: ${segment}`);
  // Any one of the type's scopes, as the per-object specs' security lists say. (Email engagements too: only
  // the legacy v1 engagements API redacts email content without sales-email-read.)
  const denied = checkScopes(req.scopes, def.scopes);
  if (denied) return denied;
  return portal.typeData(def.name);
}

export function isResult(x: unknown): x is SimResult {
  return typeof x === "object" && x !== null && "status" in x && "body" in x;
}

const propsCache = new WeakMap<TypeData, Map<string, string[]>>();

/** The property names a response carries: requested (known) ones or the type's defaults, plus the system three. */
export function responseProps(td: TypeData, requested: string[] | undefined): string[] {
  const key = requested ? requested.join(",") : "\u0000default";
  let m = propsCache.get(td);
  if (!m) {
    m = new Map();
    propsCache.set(td, m);
  }
  let out = m.get(key);
  if (!out) {
    out = computeResponseProps(td, requested);
    if (m.size > 200) m.clear();
    m.set(key, out);
  }
  return out;
}

function computeResponseProps(td: TypeData, requested: string[] | undefined): string[] {
  const base = requested ?? td.def.defaultProps;
  const set = new Set(base.filter((n) => td.specByName.has(n)));
  for (const n of ["createdate", td.def.modifiedProp, "hs_object_id"]) if (td.specByName.has(n)) set.add(n);
  return [...set].sort();
}

const SOURCES = ["CRM_UI", "IMPORT", "API", "CALCULATED", "INTEGRATION"];

/** `"propertiesWithHistory":{…}`: newest first; seeded records get 1–3 versions, mutations prepend theirs. */
export function historyJson(portal: Portal, td: TypeData, st: RecState, names: readonly string[]): string {
  const c = td.ctx(st.index);
  let s = '"propertiesWithHistory":{';
  let first = true;
  for (const name of names) {
    const spec = td.specByName.get(name);
    if (!spec) continue;
    const entries: string[] = [];
    for (const m of st.mut?.history[name] ?? []) {
      entries.push(versionJson(m.value, m.timestamp, "API", "sim-api"));
    }
    if (st.index < td.n) {
      const seeded = { ...st, mut: undefined };
      const cur = portal.value(td, seeded, c, spec);
      const h = hash2(c.h, spec.salt ^ 0x77);
      if (cur !== null) {
        const tCur =
          spec.gen === "modified"
            ? td.updatedAt(st.index)
            : c.createdAt + (h % Math.max(1, td.updatedAt(st.index) - c.createdAt + 1));
        entries.push(versionJson(cur, tCur, SOURCES[h % SOURCES.length]!, `userId:${1000 + (h % 50)}`));
        const older = h % 3;
        // Older versions predate the current one (>= createdAt): distinct timestamps, as each is a distinct change.
        for (let k = 0; k < older; k++) {
          const v = td.olderValue(c, spec, k);
          if (v !== null)
            entries.push(versionJson(v, c.createdAt - k - 1, SOURCES[(h >>> 3) % SOURCES.length]!, "import"));
        }
      }
    }
    s += (first ? "" : ",") + keyJson(name) + "[" + entries.join(",") + "]";
    first = false;
  }
  return s + "}";
}

function versionJson(value: string | null, ts: number, sourceType: string, sourceId: string): string {
  return (
    '{"value":' +
    (value === null ? '""' : strJson(value)) +
    ',"timestamp":"' +
    isoMs(ts) +
    '","sourceType":"' +
    sourceType +
    '","sourceId":"' +
    sourceId +
    '"}'
  );
}

/** `"associations":{…}` in the v3 inline shape; primary links appear twice (labelled and "_unlabeled"). */
export function inlineAssocJson(portal: Portal, td: TypeData, index: number, toTypes: readonly string[]): string {
  const parts: string[] = [];
  for (const t of toTypes) {
    const toDef = portal.resolver.resolve(t);
    if (!toDef) continue;
    const pair = portal.assocPair(td.def.name, toDef.name);
    if (!pair) continue;
    const to = portal.typeData(toDef.name);
    const edges = portal.edges(td, index, to);
    if (!edges.length) continue;
    const name = `${td.def.assocName}_to_${to.def.assocName}`;
    const hasPrimary = pair.typeIds(td.def.name).primaryId !== undefined;
    const items: string[] = [];
    for (const e of edges) {
      const id = to.ids.id(e.index);
      if (hasPrimary && e.primary) items.push(`{"id":"${id}","type":"${name}"}`);
      items.push(`{"id":"${id}","type":"${hasPrimary ? name + "_unlabeled" : name}"}`);
    }
    parts.push(keyJson(toDef.name) + '{"results":[' + items.join(",") + "]}");
  }
  return parts.length ? '"associations":{' + parts.join(",") + "}" : "";
}

export interface EncodeOpts {
  props: readonly string[];
  history?: readonly string[];
  associations?: readonly string[];
}

/** One record as v3 JSON with the requested extras. */
export function encodeRecord(portal: Portal, td: TypeData, st: RecState, o: EncodeOpts): string {
  const extras: string[] = [];
  if (o.history?.length) extras.push(historyJson(portal, td, st, o.history));
  if (o.associations?.length) {
    const a = inlineAssocJson(portal, td, st.index, o.associations);
    if (a) extras.push(a);
  }
  const c = portal.ctxOf(td, st);
  return recordJson({
    id: c.id,
    propsJson: portal.propsJson(td, st, td.plan(o.props), c),
    createdAt: st.createdAt,
    updatedAt: st.updatedAt,
    archived: st.archived,
    archivedAt: st.archivedAt,
    extra: extras.join(","),
  });
}

/** encodeRecord() into a ByteWriter. */
export function encodeRecordTo(w: ByteWriter, portal: Portal, td: TypeData, st: RecState, o: EncodeOpts): void {
  const c = portal.ctxOf(td, st);
  const isoCreated = isoMs(st.createdAt);
  const isoUpdated = isoMs(st.updatedAt);
  w.ascii('{"id":"' + c.id + '","properties":');
  portal.propsTo(w, td, st, td.plan(o.props), c, isoCreated, isoUpdated);
  if (o.history?.length) w.utf8("," + historyJson(portal, td, st, o.history));
  if (o.associations?.length) {
    const a = inlineAssocJson(portal, td, st.index, o.associations);
    if (a) w.utf8("," + a);
  }
  w.ascii(
    ',"createdAt":"' +
      isoCreated +
      '","updatedAt":"' +
      isoUpdated +
      '","archived":' +
      (st.archived ? "true" : "false") +
      (st.archived && st.archivedAt !== undefined ? ',"archivedAt":"' + isoMs(st.archivedAt) + '"}' : "}"),
  );
}

/** Parses an integer query/body parameter; NaN when malformed. */
export function intParam(v: unknown, dflt: number): number {
  if (v === undefined || v === null || v === "") return dflt;
  const s = String(v);
  return /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
}
