import http from "node:http";
import type { AddressInfo } from "node:net";
import { Auth } from "../../src/sources/auth.js";
import { Transport } from "../../src/sources/transport.js";

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface StubServer {
  url: string;
  /** `METHOD /path?query` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server answering every request with `handler`'s JSON (undefined: an empty 200 body). */
export async function startStub(handler: (req: StubRequest) => unknown): Promise<StubServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stub");
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const body = handler({
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        body: raw ? JSON.parse(raw) : undefined,
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The real transport against a stub, retrying a transient failure once after a short pause. */
export function stubTransport(stub: StubServer): Transport {
  const auth = new Auth({ kind: "private-app", accessToken: "stub-token" }, async () => ({ status: 500, body: {} }));
  return new Transport({
    baseUrl: stub.url,
    auth,
    requestsPer10s: 10_000,
    searchPerSecond: 100,
    timeoutMs: 5_000,
    maxAttempts: 2,
    random: () => 0,
  });
}
