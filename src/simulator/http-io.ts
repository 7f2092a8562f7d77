/** Low-level response writing for the simulator server, including the byte-level faults. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { releaseBytes } from "./byte-writer.js";
import type { FaultRule } from "./faults.js";

export const HTML_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";
export const HTML_504 = HTML_502.replace(/502 Bad Gateway/g, "504 Gateway Time-out");
export const HTML_PAGE =
  '<!DOCTYPE html><html lang="en"><head><title>HubSpot - Maintenance</title></head><body><h1>We\'ll be right back</h1></body></html>';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A response ready to be written. */
export interface Out {
  /** The body came from the shared ByteWriter's pool. */
  pooled?: boolean;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  route: string;
  fault?: FaultRule;
}

/** Writes a response, applying reset / slow / truncated / invalid-json faults. */
export async function send(res: ServerResponse, out: Out): Promise<void> {
  const f = out.fault;
  const delay = f?.delayMs ?? 2000;
  if (f?.kind === "reset") {
    res.socket?.destroy();
    return;
  }
  if (f?.kind === "slow-headers") await sleep(delay);
  let body = out.body;
  if (f?.kind === "invalid-json") body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
  res.writeHead(out.status, { ...out.headers, "Content-Length": String(body.length) });
  if (f?.kind === "slow-body" || f?.kind === "truncated-body") {
    const half = Math.floor(body.length / 2);
    res.write(body.subarray(0, half));
    if (f.kind === "truncated-body") {
      // Content-Length promised the whole body; the connection dies half way.
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    await sleep(delay);
    if (!res.destroyed) res.end(body.subarray(half));
    return;
  }
  // Pooled page buffers go back to the writer once the socket has taken the bytes.
  if (out.pooled) res.end(body, () => releaseBytes(body));
  else res.end(body);
}

/** Collects a request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
