// Shows /readyz's trust warning in a page's box (issue 25, point 6): the pages that show verdicts or
// figures made from stored reports say when the server's trust store is not the one those reports used.
import type { Lang } from "./words.js";
import { trustWarning } from "./trust-warning.js";

export function showTrustWarning(box: HTMLElement, lang: Lang): void {
  void fetch("/readyz")
    .then((r) => r.json())
    .then((body: unknown) => {
      const w = trustWarning(body, lang);
      box.textContent = w ?? "";
      box.hidden = w === null;
      box.dataset.read = "true"; // the server's answer was read, warning or not
    })
    .catch(() => undefined);
}
