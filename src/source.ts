import { concatMap, defer, firstValueFrom, type Observable } from "rxjs";
import type { Config } from "./config.js";
import { HttpError, SourceError } from "./errors.js";
import type { PlannedStream } from "./pipeline.js";
import { type AirbyteStream, airbyteStream, type ConfiguredCatalog } from "./protocol/catalog.js";
import { Auth } from "./sources/auth.js";
import type { Page, StreamState } from "./sources/page.js";
import { PropertyCatalog } from "./sources/properties.js";
import { alwaysReady, type Ready } from "./sources/pull.js";
import { readStream } from "./sources/read-stream.js";
import { streamJsonSchema } from "./sources/schema.js";
import type { StreamDef } from "./sources/stream-def.js";
import { type CustomObjectSchema, customObjectStream, STREAMS } from "./sources/streams.js";
import { Transport } from "./sources/transport.js";

export interface SourceHooks {
  log(level: "info" | "warn", message: string): void;
  /** HubSpot rotated the OAuth refresh token: persist it (Airbyte CONTROL message / config file). */
  onRefreshTokenRotated?(refreshToken: string): void;
}

/** A connection to one HubSpot account: transport, auth, property catalog and the stream list. */
export class HubSpotSource {
  readonly transport: Transport;
  readonly auth: Auth;
  readonly properties: PropertyCatalog;
  private scopes?: Promise<Set<string> | undefined>;

  constructor(
    readonly config: Config,
    readonly hooks: SourceHooks,
  ) {
    let transport: Transport | undefined;
    this.auth = new Auth(
      config.credentials.kind === "private-app"
        ? { kind: "private-app", accessToken: config.credentials.accessToken }
        : { ...config.credentials, kind: "oauth" },
      (path, form) => (transport as Transport).postForm(path, form),
      (token) => hooks.onRefreshTokenRotated?.(token),
    );
    transport = new Transport({
      baseUrl: config.baseUrl,
      auth: this.auth,
      requestsPer10s: config.requestsPer10s,
      searchPerSecond: config.searchRequestsPerSecond,
      timeoutMs: config.requestTimeoutSeconds * 1000,
      log: (level, message) => hooks.log(level, message),
    });
    this.transport = transport;
    this.properties = new PropertyCatalog(transport);
  }

  close(): void {
    this.transport.close();
  }

  /** The token's granted scopes from HubSpot's token-info endpoints; undefined when HubSpot won't say. */
  grantedScopes(): Promise<Set<string> | undefined> {
    this.scopes ??= this.fetchScopes().catch((err) => {
      if (err instanceof SourceError && err.kind === "config") throw err;
      this.hooks.log("warn", `could not learn the token's scopes (${(err as Error).message}); relying on 403 answers`);
      return undefined;
    });
    return this.scopes;
  }

  private async fetchScopes(): Promise<Set<string> | undefined> {
    const token = await this.auth.token();
    const res =
      this.auth.mode === "private-app"
        ? await firstValueFrom(
            this.transport.request<{ scopes?: string[] }>({
              method: "POST",
              path: "/oauth/v2/private-apps/get/access-token-info",
              json: { tokenKey: token },
              budget: "standard",
              attempts: 2,
            }),
          )
        : await firstValueFrom(
            this.transport.request<{ scopes?: string[] }>({
              method: "GET",
              path: `/oauth/v1/access-tokens/${encodeURIComponent(token)}`,
              budget: "standard",
              attempts: 2,
            }),
          );
    const scopes = res.body?.scopes;
    // No token holds zero scopes: an empty list means HubSpot did not say, not that nothing may be read.
    return Array.isArray(scopes) && scopes.length ? new Set(scopes.map(String)) : undefined;
  }

  /** Custom object schemas; a missing scope means none (with a warning), not a failure. */
  async customObjects(): Promise<CustomObjectSchema[]> {
    try {
      const res = await firstValueFrom(
        this.transport.request<{ results?: CustomObjectSchema[] }>({
          method: "GET",
          path: "/crm/v3/schemas",
          budget: "standard",
        }),
      );
      return (res.body?.results ?? []).filter(
        (s) => typeof s?.name === "string" && typeof s?.objectTypeId === "string",
      );
    } catch (err) {
      if (err instanceof HttpError && (err.code === "MISSING_SCOPES" || err.code === "NOT_FOUND")) {
        this.hooks.log("warn", `custom objects not discovered: ${err.message}`);
        return [];
      }
      throw err;
    }
  }

  /** Every stream available with this config: the table plus the account's custom objects. */
  async streams(): Promise<StreamDef[]> {
    const base = STREAMS.filter((s) => !s.experimental || this.config.enableExperimentalStreams);
    const taken = new Set(base.map((s) => s.name));
    const custom = (await this.customObjects()).map((schema) => customObjectStream(schema, taken));
    return [...base, ...custom];
  }

  /**
   * One stream's pages, untransformed (no unnesting or casting: compose the operators you want).
   * Pass a `pageGate().ready` to keep at most one page in flight.
   */
  read(
    name: string,
    ready: Ready = alwaysReady,
    options: { syncMode?: "full_refresh" | "incremental"; state?: StreamState } = {},
  ): Observable<Page> {
    return defer(() => this.streams()).pipe(
      concatMap((defs) => {
        const def = defs.find((d) => d.name === name);
        if (!def) throw new SourceError(`unknown stream ${name}`, "STREAM_UNKNOWN", "config");
        return readStream(
          def,
          {
            transport: this.transport,
            properties: this.properties,
            syncMode: options.syncMode ?? "full_refresh",
            state: options.state,
            startDate: Date.parse(this.config.startDate),
            lookbackMs: this.config.lookbackWindowMinutes * 60_000,
            emitDeletes: this.config.emitDeletes,
            warn: (m) => this.hooks.log("warn", m),
          },
          ready,
        );
      }),
    );
  }

  /** `check`: the credentials work (a 403 on one object still proves they do). */
  async check(): Promise<{ ok: boolean; message?: string }> {
    try {
      await this.auth.token();
      await this.grantedScopes();
      await firstValueFrom(
        this.transport.request({ method: "GET", path: "/crm/v3/properties/contacts", budget: "standard" }),
      );
      return { ok: true };
    } catch (err) {
      if (err instanceof HttpError && err.code === "MISSING_SCOPES") return { ok: true };
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** `discover`: one catalog entry per stream, CRM schemas built from the properties API. */
  async discover(): Promise<AirbyteStream[]> {
    const out: AirbyteStream[] = [];
    for (const def of await this.streams()) {
      let props:
        | Awaited<ReturnType<typeof firstValueFrom<import("./sources/properties.js").PropertyDef[]>>>
        | undefined;
      if (def.source.kind === "crm-object") {
        try {
          props = await firstValueFrom(this.properties.of(def.source.objectType));
        } catch (err) {
          if (!(err instanceof HttpError) || err.kind === "config") throw err;
          this.hooks.log("warn", `${def.name}: properties not readable (${err.message}); generic schema`);
        }
      }
      out.push(
        airbyteStream({
          name: def.name,
          jsonSchema: streamJsonSchema(def, props),
          primaryKey: def.primaryKey,
          cursorField: def.cursorField && def.incremental ? [def.cursorField] : undefined,
        }),
      );
    }
    return out;
  }

  /** The streams a configured catalog asks for, with their saved states; unknown names are reported. */
  async plan(
    catalog: ConfiguredCatalog,
    states: ReadonlyMap<string, StreamState>,
  ): Promise<{ planned: PlannedStream[]; unknown: string[] }> {
    const defs = new Map((await this.streams()).map((d) => [d.name, d]));
    const planned: PlannedStream[] = [];
    const unknown: string[] = [];
    for (const s of catalog.streams) {
      const def = defs.get(s.name);
      if (!def) unknown.push(s.name);
      else
        planned.push({
          def,
          syncMode: s.syncMode === "incremental" && def.incremental ? "incremental" : "full_refresh",
          state: states.get(s.name),
        });
    }
    return { planned, unknown };
  }
}
