// Preloaded (node --import) into a kyso process a test spawns: kyso's clock (dist/clock.js, the module the
// CLI itself loads) starts at KYSO_TEST_TIME and runs on from there. kyso has no setting for its clock: only
// a test can date what it receives.
import { setClock } from "../../dist/clock.js";

const at = process.env.KYSO_TEST_TIME;
if (at) {
  const start = Date.parse(at);
  if (Number.isNaN(start)) throw new Error(`KYSO_TEST_TIME '${at}' is not a time`);
  const t0 = performance.now();
  setClock(() => new Date(start + Math.round(performance.now() - t0)));
}
