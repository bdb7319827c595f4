// A server's policy change, from another process that can be killed mid-way: the policy recorded with its
// request in one transaction, then its documents derived again in small batches, a line printed after each.
import { applyPolicy } from "../../dist/lifecycle/index.js";
import { deriveNext } from "../../dist/lifecycle/rederive.js";
import { pendingDerivations } from "../../dist/store/sqlite/derivations.js";
import { openDb } from "../../dist/store/sqlite/db.js";

const [data, policyJson] = process.argv.slice(2);
const db = openDb(data);
applyPolicy(db, JSON.parse(policyJson), "test", { inlineUpTo: 0 });
process.stdout.write("queued\n");
while (deriveNext(db, 5, "test")) {
  process.stdout.write(`batch ${pendingDerivations(db)}\n`);
  await new Promise((r) => setTimeout(r, 200));
}
db.close();
