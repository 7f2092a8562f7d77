/** POST /crm/v3/objects/deals/splits/batch/read: the splits of each deal (deal_split records by hs_deal_id). */
import { isoMs } from "../data/values.js";
import { checkScopes, validationError } from "../errors.js";
import type { Portal } from "../portal.js";
import type { SimRoute } from "../types.js";
import { encodeRecord, responseProps } from "./crm-common.js";

export function crmDealSplitRoutes(portal: Portal): SimRoute[] {
  // deal id → split indices, rebuilt when the portal changes (deal_split is small).
  let index: { version: number; byDeal: Map<string, number[]> } | undefined;
  const splitsByDeal = () => {
    if (index?.version === portal.version) return index.byDeal;
    const td = portal.typeData("deal_split");
    const spec = td.specByName.get("hs_deal_id")!;
    const byDeal = new Map<string, number[]>();
    for (let i = 0; i < portal.total(td); i++) {
      const st = portal.state(td, i);
      if (!st.exists || st.archived) continue;
      const deal = portal.value(td, st, td.ctx(i), spec);
      if (deal) byDeal.set(deal, [...(byDeal.get(deal) ?? []), i]);
    }
    index = { version: portal.version, byDeal };
    return byDeal;
  };
  return [
    {
      method: "POST",
      pattern: "/crm/v3/objects/deals/splits/batch/read",
      scopes: [],
      handle: (req) => {
        const denied = checkScopes(req.scopes, ["crm.dealsplits.read_write", "crm.objects.deals.read"]);
        if (denied) return denied;
        const inputs = (req.body as { inputs?: { id?: unknown }[] } | undefined)?.inputs;
        if (!Array.isArray(inputs)) return validationError("inputs is required");
        if (inputs.length > 100) return validationError(`Too many inputs: ${inputs.length}. The maximum is 100.`);
        const td = portal.typeData("deal_split");
        const props = responseProps(td, undefined);
        const byDeal = splitsByDeal();
        const results = inputs.map((input) => {
          const id = String(input?.id ?? "");
          const splits = (byDeal.get(id) ?? []).map((i) => encodeRecord(portal, td, portal.state(td, i), { props }));
          return `{"id":${JSON.stringify(id)},"splits":[${splits.join(",")}]}`;
        });
        const now = isoMs(portal.now());
        return {
          status: 200,
          body: undefined,
          raw: `{"status":"COMPLETE","results":[${results.join(",")}],"startedAt":"${now}","completedAt":"${now}"}`,
        };
      },
    },
  ];
}
