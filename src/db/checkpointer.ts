// SQLite in WAL mode now and then copies the log back into the database file (a checkpoint) and
// fsyncs it. Done by whichever connection commits, it stalls the bot's event loop for 10–30 ms
// (better-sqlite3 is synchronous): the spikes seen in `npm run bench`. So the bot's connection
// never checkpoints (wal_autocheckpoint = 0) and a worker thread with a connection of its own does
// it every few seconds, in PASSIVE mode, which never blocks the bot's reads or writes. Should the
// worker fail, the bot's connection goes back to checkpointing itself, so the log cannot grow forever.
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";

export interface CheckpointResult {
  /** Frames in the log, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Checkpoints at once (tests; the timer does it otherwise). */
  now(): Promise<CheckpointResult>;
  /** Last checkpoint (TRUNCATE, leaving an empty log), then the worker ends. */
  stop(): Promise<void>;
}

// Plain JavaScript run with `eval`: no loader or build step needed for the worker.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const checkpoint = (mode) => {
  const [r] = db.pragma("wal_checkpoint(" + mode + ")");
  return { log: r.log, checkpointed: r.checkpointed };
};
const timer = setInterval(() => { try { checkpoint("PASSIVE"); } catch (e) { parentPort.postMessage({ error: String(e && e.message) }); } }, workerData.everyMs);
parentPort.on("message", (m) => {
  try {
    if (m === "now") parentPort.postMessage({ result: checkpoint("PASSIVE") });
    if (m === "stop") { clearInterval(timer); checkpoint("TRUNCATE"); db.close(); parentPort.postMessage({ stopped: true }); parentPort.close(); }
  } catch (e) { parentPort.postMessage({ error: String(e && e.message) }); }
});
`;

export function startCheckpointer(file: string, opts: { everyMs?: number; onFailure: (reason: string) => void }): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: opts.everyMs ?? 5000 } });
  let stopped = false;
  let exited = false;
  const waiters: ((m: { result?: CheckpointResult; stopped?: boolean; error?: string }) => void)[] = [];
  worker.on("message", (m: { result?: CheckpointResult; stopped?: boolean; error?: string }) => {
    if (m.error && !waiters.length) opts.onFailure(m.error);
    waiters.shift()?.(m);
  });
  worker.on("error", (err) => opts.onFailure(err.message));
  worker.on("exit", () => {
    exited = true;
    if (!stopped) opts.onFailure("checkpoint worker exited");
    for (const w of waiters.splice(0)) w({ error: "checkpoint worker exited" });
  });
  worker.unref(); // after the listeners, which would otherwise keep the process alive
  // Held while an answer is awaited, so the process does not end before it comes.
  const ask = (m: "now" | "stop") =>
    new Promise<{ result?: CheckpointResult; stopped?: boolean; error?: string }>((resolve) => {
      // A worker that is gone would never answer, and shutdown would wait for it forever.
      if (exited) return resolve({ error: "checkpoint worker exited" });
      worker.ref();
      waiters.push((answer) => {
        if (!waiters.length) worker.unref();
        resolve(answer);
      });
      worker.postMessage(m);
    });
  return {
    async now() {
      const m = await ask("now");
      if (!m.result) throw new Error(m.error ?? "checkpoint failed");
      return m.result;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await ask("stop");
      await worker.terminate();
    },
  };
}
