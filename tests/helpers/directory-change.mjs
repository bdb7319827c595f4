// A server's directory change, from another process that can be killed mid-way: the agencies written and
// the change recorded in one transaction, then its documents found (the walk) and derived in small
// batches, a line printed after each with what still waits.
import { updateDirectory } from "../../dist/lifecycle/index.js";
import { deriveNext } from "../../dist/lifecycle/rederive.js";
import { queuedDerivations } from "../../dist/store/sqlite/lifecycle.js";
import { openDb } from "../../dist/store/sqlite/db.js";

const [data, rowsJson] = process.argv.slice(2);
const db = openDb(data);
updateDirectory(db, JSON.parse(rowsJson), "test", { inlineUpTo: 0 });
process.stdout.write("queued\n");
while (deriveNext(db, 25, "test")) {
  process.stdout.write(`batch ${queuedDerivations(db)}\n`);
  await new Promise((r) => setTimeout(r, 200));
}
db.close();
