import { readFileSync } from "node:fs";
import { PdfDocument } from "./src/pdf/document.ts";
import { objectRoles } from "./src/pdf/roles.ts";
for (const f of process.argv.slice(2)) {
  const b = readFileSync(f);
  const doc = PdfDocument.open(b);
  const n = doc.revisions.length;
  let t = performance.now();
  let roles;
  for (let i = 0; i < 20; i++) { const d = PdfDocument.open(b); roles = objectRoles(d.at(n - 1)); }
  const ms = (performance.now() - t) / 20;
  t = performance.now();
  for (let i = 0; i < 20; i++) PdfDocument.open(b);
  const open = (performance.now() - t) / 20;
  const totalRoles = [...roles!.values()].reduce((a, l) => a + l.length, 0);
  console.log(f.split("/").pop(), "revisions", n, "objects with roles", roles!.size, "roles", totalRoles, "open", open.toFixed(2), "ms; open+roles", ms.toFixed(2), "ms");
}
