import { readFileSync } from "node:fs";
import { analyzeStructure } from "./src/analyze.ts";
import { loadTrustStore } from "./src/config.ts";
const trust = loadTrustStore();
const b = readFileSync(process.argv[2]!);
for (let i = 0; i < 200; i++) analyzeStructure(b, { now: "2026-01-01T00:00:00Z", trust, classify: false });
