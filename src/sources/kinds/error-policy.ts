/**
 * The one place where a read's error policy (`errors` of its table entry) turns a refusal into a skip, a fallback
 * read or a failure.
 */
import { catchError, defer, EMPTY, type Observable, tap } from "rxjs";
import { HttpError, SourceError } from "../../errors.js";
import type { Page } from "../page.js";
import type { Ready } from "../pull.js";
import type { ErrorPolicy } from "../stream-def.js";
import type { ReadContext } from "./context.js";

export type PolicyAction = "fail" | "skip" | "fallback";

const subCategoryOf = (err: HttpError): unknown =>
  (err.failure.body as { subCategory?: unknown } | undefined)?.subCategory;

/**
 * What `policy` does with `err`; `emitted` says whether the read already produced a page (a fallback would then
 * deliver some records twice and others never, so it fails instead).
 *
 * @example
 * policyAction({ forbidden: "skip" }, new HttpError("denied", "MISSING_SCOPES", "permission", { status: 403, route: "GET /x" }), false); // "skip"
 */
export function policyAction(policy: ErrorPolicy | undefined, err: unknown, emitted: boolean): PolicyAction {
  if (!policy || !(err instanceof SourceError)) return "fail";
  const status = err instanceof HttpError ? err.failure.status : undefined;
  if (status === 404 && policy.notFound) {
    if (policy.notFound === "skip") return "skip";
    return emitted ? "fail" : "fallback";
  }
  if (err.kind === "permission" && policy.forbidden === "skip") return "skip";
  if (
    err instanceof HttpError &&
    policy.ignore?.some((r) => r.status === status && (!r.subCategory || r.subCategory === subCategoryOf(err)))
  ) {
    return "skip";
  }
  return "fail";
}

/** Applies `policy` to one read; `label` names what is skipped in the warning (e.g. the resolved path). */
export function withErrorPolicy(
  policy: ErrorPolicy | undefined,
  read: Observable<Page>,
  ctx: ReadContext,
  ready: Ready,
  label: string,
): Observable<Page> {
  if (!policy) return read;
  return defer(() => {
    let emitted = false;
    return read.pipe(
      tap(() => {
        emitted = true;
      }),
      catchError((err) => {
        const action = policyAction(policy, err, emitted);
        const name = ctx.def.name;
        if (action === "skip") {
          ctx.opts.warn(`${name}: ${label} skipped: ${(err as Error).message}`);
          return EMPTY;
        }
        if (action === "fallback" && typeof policy.notFound === "object") {
          const fallback = policy.notFound.fallback;
          ctx.opts.warn(`${name}: ${label} not found; reading ${"path" in fallback ? fallback.path : fallback.kind}`);
          return ctx.read(fallback, ready);
        }
        throw err;
      }),
    );
  });
}
