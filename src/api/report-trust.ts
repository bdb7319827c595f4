// The trusted roots a report's verdicts rest on (issue 25, point 6). A report records only the identifier
// of its trust store (a hash over the anchors' fingerprints); the server knows the anchors of its own, so
// the page names them when the report was made under that store, and says plainly when it was not.
import type { TrustStore } from "../pki/trust-store.js";
import { nameToString } from "../pki/names.js";
import type { Lang } from "../verify/messages.js";
import { COUNTED, counted, UI, fillIn, word } from "./report-words.js";

/** A trust store as the pages show it: its identifier and its anchors' names (plain data: it crosses to threads). */
export interface TrustView {
  readonly id: string;
  readonly anchors: readonly string[];
}

const views = new WeakMap<TrustStore, TrustView>();

export function trustView(store: TrustStore): TrustView {
  let v = views.get(store);
  if (!v) {
    v = { id: store.id, anchors: [...new Set(store.anchors.map((c) => nameToString(c.subject)))].sort((a, b) => a.localeCompare(b)) };
    views.set(store, v);
  }
  return v;
}

const esc = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The analysis section's rows about trust: the store's identifier, then its roots by name or why they cannot be named. */
export function trustRows(reportStore: string, server: TrustView | undefined, lang: Lang, row: (k: string, v: string) => string): string {
  const id = row("trustStore", `<code>${esc(reportStore)}</code>`);
  if (!server) return id;
  if (server.id === reportStore) {
    const roots = server.anchors.map((a) => `<li>${esc(a)}</li>`).join("");
    return `${id}\n${row("trustedRoots", `<span id="trusted-roots" data-count="${server.anchors.length}">${esc(fillIn(word(UI, "trustedRootsCount", lang), { n: counted(server.anchors.length, COUNTED.roots, lang) }))}</span><ul>${roots}</ul>`)}`;
  }
  const text = fillIn(word(UI, "trustOther", lang), { report: reportStore.slice(0, 12), server: server.id.slice(0, 12) });
  return `${id}\n${row("trustedRoots", `<span class="warn" id="trust-other">${esc(text)}</span>`)}`;
}
