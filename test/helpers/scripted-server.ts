/**
 * A tiny node:http server that answers each request from a script, records what it received, and can misbehave
 * at the socket level (reset, truncated body): the transport's tests talk to it over real TCP.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from "rxjs";

export interface Reply {
  status?: number;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** `reset`: destroy the socket without answering; `truncate`: promise the body, send half, then hang up. */
  fault?: "reset" | "truncate";
}

export interface Received {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Starts a server; `answer` sees every request (with its 0-based number) and returns the reply. */
export async function scriptedServer(answer: (req: Received, n: number) => Reply): Promise<ScriptedServer> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const got: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(got);
      const reply = answer(got, received.length - 1);
      if (reply.fault === "reset") {
        req.socket.destroy();
        return;
      }
      const text =
        reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      const bytes = Buffer.from(text, "utf8");
      const type = typeof reply.body === "string" ? "text/plain" : "application/json;charset=utf-8";
      res.writeHead(reply.status ?? 200, {
        "Content-Type": type,
        "Content-Length": String(bytes.length),
        ...reply.headers,
      });
      if (reply.fault === "truncate") {
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        setTimeout(() => req.socket.destroy(), 10);
        return;
      }
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A scheduler whose waits take no real time: each scheduled delay moves its clock forward instead, and is
 * recorded, so a test can read which waits the code decided on (e.g. a `Retry-After`) without sleeping.
 */
export function fastForwardScheduler(): SchedulerLike & { waits: number[] } {
  let offset = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now() + offset,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      if (delay > 0) {
        waits.push(delay);
        offset += delay;
      }
      return asyncScheduler.schedule(work, 0, state);
    },
  };
}
