// A second process writing to a store (as kyso scan or kyso keys do while kyso serve runs): N documents
// registered, or N keys created; with a fourth argument, a heads file, a head published there after every
// 20 documents (as kyso serve's publisher does). Prints {"errors": n, "first": "..."}. Uses the compiled build.
import { openDb } from "../../dist/store/sqlite/db.js";
import { publishHead } from "../../dist/store/sqlite/heads.js";
import { createKey } from "../../dist/store/sqlite/keys.js";
import { submit } from "../../dist/lifecycle/index.js";

const [data, n, what, heads] = process.argv.slice(2);
const db = openDb(data);
let errors = 0;
let first = null;
for (let i = 0; i < Number(n); i++) {
  try {
    if (what === "keys") createKey(db, "viewer", `writer ${i}`, "test");
    else
      submit(
        db,
        {
          kind: "document",
          source: "register",
          meta: {
            sender: "H53.03",
            recipients: ["H53.02"],
            number: `${process.pid}-${i}/W`,
            issuedDate: "2024-01-01",
            receivedAt: "2024-01-01T00:00:00Z",
            classification: "none",
            channel: "paper",
          },
          file: null,
        },
        "test",
      );
  } catch (e) {
    errors++;
    first ??= String(e.code ?? e.message);
  }
  if (heads && i % 20 === 19) await publishHead(db, heads);
}
db.close();
process.stdout.write(JSON.stringify({ errors, first }) + "\n");
