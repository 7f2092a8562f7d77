/**
 * source-hubspot as a library: the stream table, the reader, every operator, every sink, the
 * pipeline and the simulator, typed. The CLI (src/cli.ts) is a thin layer over these.
 */
export * from "./errors.js";
export * from "./config.js";
export * from "./operators/index.js";
export * from "./sinks/index.js";
export type { Page, Row, StreamState } from "./sources/page.js";
export type { StreamDef, CrmObjectSource, EndpointSource, Paginator, SyncMode } from "./sources/stream-def.js";
export { STREAMS, customObjectStream } from "./sources/streams.js";
export { Transport, type RequestSpec, type TransportOptions } from "./sources/transport.js";
export { Auth, type Credentials as AuthCredentials } from "./sources/auth.js";
export { PropertyCatalog, chunkProperties, type PropertyDef } from "./sources/properties.js";
export { readStream, type ReadOptions } from "./sources/read-stream.js";
export { pullPages, alwaysReady, type Ready } from "./sources/pull.js";
export { stepSearch, searchBody, type SearchCursor } from "./sources/search-cursor.js";
export { runPipeline, type PipelineEvents, type PipelineOptions, type PlannedStream } from "./pipeline.js";
export { HubSpotSource } from "./source.js";
export { startSimulator } from "./simulator/index.js";
