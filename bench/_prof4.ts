import { readFileSync } from "node:fs";
import { PdfDocument } from "../src/pdf/document.js";
import { objectRoles } from "../src/pdf/roles.js";
const doc = PdfDocument.open(readFileSync(process.argv[2]!));
objectRoles(doc.at(5));
const t = performance.now();
for (let i = 0; i < 50; i++) objectRoles(doc.at(5));
console.log(((performance.now() - t) / 50).toFixed(2), "ms per walk (warm)");
