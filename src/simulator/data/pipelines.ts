/** Deal, ticket and task pipelines with stages; the default pipelines have createdAt 0 as in HubSpot. */
export interface StageDef {
  id: string;
  label: string;
  metadata: Record<string, string>;
}
export interface PipelineDef {
  id: string;
  label: string;
  createdAt: number;
  updatedAt: number;
  stages: StageDef[];
}

const deal = (id: string, label: string, probability: string, isClosed = false): StageDef => ({
  id,
  label,
  metadata: { isClosed: String(isClosed), probability },
});
const ticket = (id: string, label: string, state: "OPEN" | "CLOSED"): StageDef => ({
  id,
  label,
  metadata: { ticketState: state, isClosed: String(state === "CLOSED") },
});

/** Pipelines per object type; timestamps are derived from the simulated clock so they sit before `now`. */
export function buildPipelines(now: number): Record<string, PipelineDef[]> {
  const year = 365 * 86_400_000;
  const t1 = now - 3 * year + 12_345;
  const t2 = now - year / 3 + 678;
  return {
    deals: [
      {
        id: "default",
        label: "Sales Pipeline",
        createdAt: 0,
        updatedAt: t2,
        stages: [
          deal("appointmentscheduled", "Appointment Scheduled", "0.2"),
          deal("qualifiedtobuy", "Qualified To Buy", "0.4"),
          deal("presentationscheduled", "Presentation Scheduled", "0.6"),
          deal("decisionmakerboughtin", "Decision Maker Bought-In", "0.8"),
          deal("contractsent", "Contract Sent", "0.9"),
          deal("closedwon", "Closed Won", "1.0", true),
          deal("closedlost", "Closed Lost", "0.0", true),
        ],
      },
      {
        id: "75311437",
        label: "Renewals",
        createdAt: t1,
        updatedAt: t2,
        stages: [
          deal("148317201", "Renewal due", "0.5"),
          deal("148317202", "Renewed", "1.0", true),
          deal("148317203", "Churned", "0.0", true),
        ],
      },
    ],
    tickets: [
      {
        id: "0",
        label: "Support Pipeline",
        createdAt: 0,
        updatedAt: t2,
        stages: [
          ticket("1", "New", "OPEN"),
          ticket("2", "Waiting on contact", "OPEN"),
          ticket("3", "Waiting on us", "OPEN"),
          ticket("4", "Closed", "CLOSED"),
        ],
      },
      {
        id: "32140982",
        label: "Escalations",
        createdAt: t1,
        updatedAt: t1,
        stages: [ticket("64532110", "Triage", "OPEN"), ticket("64532111", "Resolved", "CLOSED")],
      },
    ],
    tasks: [
      {
        id: "default",
        label: "Tasks",
        createdAt: 0,
        updatedAt: t1,
        stages: [
          { id: "60b5c368-04c4-4d32-9b4a-457e159f49b7", label: "Not started", metadata: { isClosed: "false" } },
          { id: "61d84f7f-1e10-4d1c-9d4c-d2e5a43b3a2a", label: "Completed", metadata: { isClosed: "true" } },
        ],
      },
    ],
  };
}
