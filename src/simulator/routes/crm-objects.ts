/** GET /crm/v3/objects/:type, GET …/:type/:id, POST …/:type/batch/read. */

import { sharedWriter } from "../byte-writer.js";
import { isoMs } from "../data/values.js";
import { apiError, checkScopes, notFound, validationError } from "../errors.js";
import type { Portal } from "../portal.js";
import type { SimRequest, SimResult, SimRoute } from "../types.js";
import {
  bodyList,
  type EncodeOpts,
  encodeRecord,
  encodeRecordTo,
  intParam,
  isResult,
  listParam,
  resolveType,
  responseProps,
} from "./crm-common.js";

/** Settings the object routes need from the server. */
export interface CrmRouteEnv {
  portal: Portal;
  /** Base URL used in `paging.next.link`. */
  baseUrl(): string;
  /** How list cursors are written (SimulatorOptions.listCursor). */
  listCursor?: "id" | "base64";
}

/**
 * The list cursor for the next id: the id itself, or as HubSpot's API reference shows it, base64 of the id and a
 * newline, URL-encoded ("NTI1Cg%3D%3D" for 525). Both name the id just past the last record served.
 */
function writeCursor(form: CrmRouteEnv["listCursor"], next: number): string {
  return form === "base64" ? encodeURIComponent(Buffer.from(`${next}\n`).toString("base64")) : String(next);
}

/** The id a client's cursor names, in the portal's form, or undefined when it is not one. */
function readCursor(form: CrmRouteEnv["listCursor"], raw: string): number | undefined {
  let text = raw;
  if (form === "base64") {
    try {
      text = Buffer.from(decodeURIComponent(raw), "base64").toString("utf8").replace(/\n$/, "");
    } catch {
      return undefined;
    }
  }
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function encodeOpts(td: Parameters<typeof responseProps>[0], q: URLSearchParams): EncodeOpts {
  return {
    props: responseProps(td, listParam(q, "properties")),
    history: listParam(q, "propertiesWithHistory"),
    associations: listParam(q, "associations"),
  };
}

function list(env: CrmRouteEnv, req: SimRequest): SimResult {
  const { portal } = env;
  const td = resolveType(portal, req, req.params.type!);
  if (isResult(td)) return td;
  const opts = encodeOpts(td, req.query);
  const max = opts.history?.length ? 50 : 100;
  const limit = intParam(req.query.get("limit"), 10);
  if (!(limit >= 1 && limit <= max)) {
    return validationError(`limit must be between 1 and ${max}, got ${req.query.get("limit")}`);
  }
  const archived = req.query.get("archived") === "true";
  const afterRaw = req.query.get("after");
  let from = 0;
  if (afterRaw !== null && afterRaw !== "") {
    // The cursor is the id just past the last record served ("last id + 1"), as HubSpot's look.
    const next = readCursor(env.listCursor, afterRaw);
    if (next === undefined) return validationError(`Invalid after value: ${afterRaw}`);
    from = td.ids.lowerBound(next);
  }
  const total = portal.total(td);
  const w = sharedWriter.reset();
  w.ascii('{"results":[');
  let n = 0;
  let last = -1;
  for (let i = from; i < total && n < limit; i++) {
    const st = portal.state(td, i);
    if (!st.exists || st.archived !== archived) continue;
    if (n++) w.ascii(",");
    encodeRecordTo(w, portal, td, st, opts);
    last = i;
  }
  w.ascii("]");
  // Is there anything after the page? Peek ahead (cheap: archived/deleted gaps are short).
  let more = false;
  for (let j = last + 1; last >= 0 && j < total; j++) {
    const st = portal.state(td, j);
    if (st.exists && st.archived === archived) {
      more = true;
      break;
    }
  }
  if (more) {
    const after = writeCursor(env.listCursor, td.ids.idNum(last) + 1);
    const q = new URLSearchParams(req.query);
    q.set("after", after);
    w.ascii(`,"paging":{"next":{"after":"${after}","link":"${env.baseUrl()}${req.path}?${q.toString()}"}}`);
  }
  w.ascii("}");
  return { status: 200, body: undefined, rawBytes: w.take() };
}

function getOne(env: CrmRouteEnv, req: SimRequest): SimResult {
  const { portal } = env;
  const td = resolveType(portal, req, req.params.type!);
  if (isResult(td)) return td;
  const idProperty = req.query.get("idProperty");
  const archived = req.query.get("archived") === "true";
  let index = -1;
  if (idProperty && idProperty !== "hs_object_id") {
    if (idProperty !== "email" || td.def.name !== "contacts") {
      return validationError(`Property ${idProperty} is not a unique identifier property`);
    }
    // Unique-property lookup: scan is acceptable for the small portals tests use.
    const spec = td.specByName.get("email")!;
    const wanted = req.params.id!.toLowerCase();
    for (let i = 0; i < portal.total(td) && index < 0; i++) {
      const st = portal.state(td, i);
      if (st.exists && (portal.value(td, st, td.ctx(i), spec) ?? "").toLowerCase() === wanted) index = i;
    }
  } else index = portal.currentIndexOf(td, req.params.id!);
  const st = index >= 0 ? portal.state(td, index) : undefined;
  if (!st?.exists || st.archived !== archived) return notFound(undefined, req.params.id);
  return { status: 200, body: undefined, raw: encodeRecord(portal, td, st, encodeOpts(td, req.query)) };
}

function batchRead(env: CrmRouteEnv, req: SimRequest): SimResult {
  const { portal } = env;
  const td = resolveType(portal, req, req.params.type!);
  if (isResult(td)) return td;
  const body = (req.body ?? {}) as {
    inputs?: { id?: unknown }[];
    properties?: unknown;
    propertiesWithHistory?: unknown;
    idProperty?: string;
  };
  if (!Array.isArray(body.inputs)) return validationError("Invalid input JSON on line 1, column 1: inputs is required");
  const history = bodyList(body.propertiesWithHistory);
  const max = history?.length ? 50 : 100;
  if (body.inputs.length > max) {
    return validationError(
      history?.length
        ? "The maximum number of inputs supported in a batch request for property histories is 50. Please reduce the number of items and try again"
        : `Too many inputs: ${body.inputs.length}. The maximum is 100.`,
    );
  }
  const archived = req.query.get("archived") === "true";
  const opts: EncodeOpts = { props: responseProps(td, bodyList(body.properties)), history };
  const results: string[] = [];
  const missing: string[] = [];
  const seen = new Set<number>();
  for (const input of body.inputs) {
    const id = String(input?.id ?? "");
    const index = portal.currentIndexOf(td, id);
    const st = index >= 0 ? portal.state(td, index) : undefined;
    if (!st?.exists || st.archived !== archived) {
      missing.push(id);
      continue;
    }
    if (seen.has(index)) continue;
    seen.add(index);
    results.push(encodeRecord(portal, td, st, opts));
  }
  const now = isoMs(portal.now());
  let raw = `{"status":"COMPLETE","results":[${results.join(",")}]`;
  if (missing.length) {
    const err = apiError(
      404,
      "OBJECT_NOT_FOUND",
      `Could not get some ${td.def.name} objects, they may be deleted or not exist. Check that ids are valid.`,
      {
        context: { ids: missing },
      },
    ).body as Record<string, unknown>;
    // The spec's StandardError also requires `links` and `errors`; HubSpot's real 207 items carry neither,
    // so neither does the simulator (a client that insists on them breaks on HubSpot too).
    const { correlationId: _c, ...rest } = err;
    raw += `,"numErrors":${missing.length},"errors":[${JSON.stringify(rest)}]`;
  }
  raw += `,"startedAt":"${now}","completedAt":"${now}"}`;
  return { status: missing.length ? 207 : 200, body: undefined, raw };
}

/** `POST /crm/v3/objects/{contacts|companies}/merge` → the merged record (see Portal.merge). */
function merge(env: CrmRouteEnv, req: SimRequest): SimResult {
  const { portal } = env;
  const def = portal.resolver.resolve(req.params.type!);
  if (!def) return validationError(`Unable to infer object type from: ${req.params.type}`);
  if (def.name !== "contacts" && def.name !== "companies") {
    return validationError(`Merging ${def.name} is not supported by this simulator`);
  }
  const denied = checkScopes(req.scopes, [`crm.objects.${def.name}.write`]);
  if (denied) return denied;
  const body = (req.body ?? {}) as { primaryObjectId?: unknown; objectIdToMerge?: unknown };
  const primary = typeof body.primaryObjectId === "string" ? body.primaryObjectId : "";
  const secondary = typeof body.objectIdToMerge === "string" ? body.objectIdToMerge : "";
  if (!primary || !secondary) return validationError("primaryObjectId and objectIdToMerge are required");
  if (primary === secondary) return validationError("Cannot merge an object with itself");
  const td = portal.typeData(def.name);
  for (const id of [primary, secondary]) {
    const i = portal.indexOf(td, id);
    const st = i >= 0 ? portal.state(td, i) : undefined;
    if (!st?.exists || st.archived) return notFound(`Object ${id} not found`, id);
  }
  const merged = portal.merge(def.name, primary, secondary);
  const st = portal.state(td, portal.indexOf(td, merged.id));
  return { status: 200, body: undefined, raw: encodeRecord(portal, td, st, { props: responseProps(td, undefined) }) };
}

/** Object list / read / batch-read / merge routes. Scopes are checked per object type inside the handlers. */
export function crmObjectRoutes(env: CrmRouteEnv): SimRoute[] {
  return [
    { method: "GET", pattern: "/crm/v3/objects/:type", scopes: [], handle: (r) => list(env, r) },
    { method: "GET", pattern: "/crm/v3/objects/:type/:id", scopes: [], handle: (r) => getOne(env, r) },
    { method: "POST", pattern: "/crm/v3/objects/:type/batch/read", scopes: [], handle: (r) => batchRead(env, r) },
    { method: "POST", pattern: "/crm/v3/objects/:type/merge", scopes: [], handle: (r) => merge(env, r) },
  ];
}
