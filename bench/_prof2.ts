import { readFileSync } from "node:fs";
import { analyze } from "../src/analyze.js";
const b = readFileSync(process.argv[2]!);
for (let i = 0; i < 30; i++) analyze(b, { validationTime: "2026-01-01T00:00:00Z" });
