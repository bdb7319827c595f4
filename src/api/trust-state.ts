// The server's trust store against the ones that made the stored reports (issue 25, point 6), for /readyz
// and the pages that read it: a server started without the trust folder the reports used gives other
// verdicts on /check with no other sign. A warning only: the store never refuses anything for it.
import type { TrustStore } from "../pki/trust-store.js";
import type { TrustStoreCount } from "../store/ports.js";
import { trustView } from "./report-trust.js";

export interface TrustState {
  /** the server's trust store: the `engine.trustStore` of the reports it makes now */
  readonly store: string;
  /** its trusted roots by name */
  readonly anchors: readonly string[];
  /** documents whose current report was made under this store, and under another */
  readonly reports: { readonly thisStore: number; readonly otherStores: number };
  /** the other stores, with their documents */
  readonly others: readonly TrustStoreCount[];
  /** null when every stored report was made under the server's store */
  readonly warning: string | null;
}

/** `counts`: the documents by the trust store of their latest analysis (Operations.trustStoresSeen). */
export function trustState(counts: readonly TrustStoreCount[], store: TrustStore): TrustState {
  const view = trustView(store);
  const others = counts.filter((c) => c.trustStore !== view.id);
  const otherStores = others.reduce((n, c) => n + c.documents, 0);
  const thisStore = counts.find((c) => c.trustStore === view.id)?.documents ?? 0;
  const warning = otherStores
    ? `${otherStores} stored report${otherStores === 1 ? " was" : "s were"} made under another trust store than this server's (${view.id.slice(0, 12)}…, ${view.anchors.length} roots): checking those documents again here can give other verdicts; start the server with the trust folders they used, or queue them for a new analysis (POST /api/v1/admin/reverify)`
    : null;
  return { store: view.id, anchors: view.anchors, reports: { thisStore, otherStores }, others, warning };
}
