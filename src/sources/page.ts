/** One HubSpot record as it flows through the operators: plain JSON. */
export type Row = Record<string, unknown>;

/** A stream's resumable position, persisted as the Airbyte `stream_state`. */
export type StreamState = Record<string, unknown>;

/**
 * One page of one stream: the unit that flows from the reader through the operators to a sink.
 * `children` holds rows split into child tables (table name → rows), e.g. `engagements_metadata_to`.
 * `state`, when present, may be checkpointed once this page and every earlier page of the stream
 * were accepted (and flushed) by the sink.
 */
export interface Page {
  stream: string;
  records: Row[];
  children?: Record<string, Row[]>;
  state?: StreamState;
  /** Records HubSpot reports for the stream (or its window), when it does: for progress displays. */
  total?: number;
}
