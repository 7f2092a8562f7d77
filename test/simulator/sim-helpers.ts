import { type SimulatorHandle, type SimulatorOptions, startSimulator } from "../../src/simulator/index.js";

/** A started simulator plus small fetch helpers bound to its private-app token. */
export interface TestSim extends SimulatorHandle {
  get(path: string, token?: string): Promise<Response>;
  post(path: string, body: unknown, token?: string): Promise<Response>;
}

export async function startTestSim(opts: SimulatorOptions = {}): Promise<TestSim> {
  const sim = await startSimulator({ rateLimits: false, ...opts });
  const auth = (token?: string) => ({ authorization: `Bearer ${token ?? sim.credentials.privateAppToken}` });
  return Object.assign(sim, {
    get: (path: string, token?: string) => fetch(sim.url + path, { headers: auth(token) }),
    post: (path: string, body: unknown, token?: string) =>
      fetch(sim.url + path, {
        method: "POST",
        headers: { ...auth(token), "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  });
}

/** Reads every page of a v3 list endpoint through paging.next.after. */
export async function listAll(
  sim: TestSim,
  path: string,
): Promise<{ results: { id: string; properties: Record<string, string | null> }[]; pages: number }> {
  const results: { id: string; properties: Record<string, string | null> }[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await sim.get(path + (after ? `${sep}after=${after}` : ""));
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { results: typeof results; paging?: { next?: { after: string } } };
    results.push(...body.results);
    after = body.paging?.next?.after;
    pages++;
  } while (after);
  return { results, pages };
}
