// Writes the register CSV of a generated sample folder (what a document system's export holds).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SampleItem } from "../../fixtures/sample/generate.js";

const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function writeRegister(dir: string, items: SampleItem[]): string {
  const cols = ["file", "sender", "recipients", "number", "issuedDate", "type", "subject", "classification", "receivedAt", "channel"];
  const lines = items.map((i) => [i.file ?? "", ...cols.slice(1).map((c) => (i.meta as Record<string, string>)[c] ?? "")].map(csvField).join(","));
  const path = join(dir, "register.csv");
  writeFileSync(path, [cols.join(","), ...lines].join("\n") + "\n");
  return path;
}
