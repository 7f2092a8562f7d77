/**
 * source-hubspot as a library: the stream table, the reader, every operator, every sink, the
 * pipeline and the simulator, typed. The CLI (src/cli.ts) is a thin layer over these.
 */

export * from "./config.js";
export * from "./errors.js";
export * from "./operators/index.js";
export { type PipelineEvents, type PipelineOptions, type PlannedStream, runPipeline } from "./pipeline.js";
export { startSimulator } from "./simulator/index.js";
export * from "./sinks/index.js";
export { HubSpotSource } from "./source.js";
export { Auth, type Credentials as AuthCredentials } from "./sources/auth.js";
export { type SearchCursor, searchBody, stepSearch } from "./sources/crm/modified-keyset.js";
export type { Page, Row, StreamState } from "./sources/page.js";
export { chunkProperties, PropertyCatalog, type PropertyDef } from "./sources/properties.js";
export { alwaysReady, pageGate, pullPages, type Ready } from "./sources/pull.js";
export { type ReadOptions, readStream } from "./sources/read-stream.js";
export type { CrmObjectSource, EndpointSource, Source, StreamDef, SyncMode } from "./sources/stream-def.js";
export { customObjectStream, STREAMS } from "./sources/streams.js";
export { type RequestSpec, Transport, type TransportOptions } from "./sources/transport.js";
