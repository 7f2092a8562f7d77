import { readFile } from "node:fs/promises";

/** A parsed JSON file, or why it could not be had (one phrase, never quoting the content). */
export type JsonFileResult = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Reads and parses a JSON file named on the command line. Failures come back as a short phrase
 * ("no such file", "not valid JSON (at line 3, column 7)") for the caller to wrap in its own
 * error; the file's content is never quoted because it may hold a token.
 *
 * @returns the parsed value; `undefined` for an empty or whitespace-only file
 */
export async function loadJsonFile(path: string): Promise<JsonFileResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    return { ok: false, problem: describeFsError(err) };
  }
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problem: `not valid JSON${locate(err, text)}` };
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, not a file";
    default:
      return code ? `unreadable (${code})` : "unreadable";
  }
}

/**
 * " at line L, column C" from V8's "at position N", or "". V8's own message is never reused: recent
 * versions quote the offending text, which could be part of a secret.
 */
function locate(err: unknown, text: string): string {
  const match = /position (\d+)/.exec(err instanceof Error ? err.message : "");
  if (!match) return "";
  const before = text.slice(0, Number(match[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return ` (at line ${line}, column ${column})`;
}
