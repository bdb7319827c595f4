// BullMQ worker entry point (DESIGN.md §3): the same as `kyso worker`, for running from the sources.
import { runWorker, workerConfigFromEnv } from "../src/queue/bullmq-worker.js";

const w = await runWorker(workerConfigFromEnv(), (s) => process.stdout.write(`${s}\n`));
const stop = () => void w.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
