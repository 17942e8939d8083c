// When the background checkpoint worker fails: it is reported, the bot's own connection takes
// checkpointing back, and shutdown does not wait for a worker that is gone.
import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startCheckpointer } from "../../src/db/checkpointer.js";
import { openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";

// openDatabase's worker: the real one unless a test makes it fail.
const failNext = vi.hoisted(() => ({ on: false }));
vi.mock("../../src/db/checkpointer.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/db/checkpointer.js")>();
  return {
    ...real,
    startCheckpointer: (file: string, opts: Parameters<typeof real.startCheckpointer>[1]) =>
      real.startCheckpointer(failNext.on ? path.join(file, "not-a-database") : file, opts),
  };
});

const until = (check: () => boolean) =>
  vi.waitFor(() => {
    if (!check()) throw new Error("not yet");
  }, { timeout: 10_000, interval: 20 });

describe("checkpoint worker failure", () => {
  it("a worker that cannot open the database reports it, and stopping it does not hang", async () => {
    const failures: string[] = [];
    const cp = startCheckpointer(path.join(tmpdir(), "no-such-dir-for-bot", "x.db"), { everyMs: 50, onFailure: (r) => failures.push(r) });
    await until(() => failures.length > 0);
    expect(failures.join(" ")).toMatch(/unable to open|directory does not exist|exited/i);
    await expect(cp.now()).rejects.toThrow(/exited|unable|directory/i);
    await cp.stop(); // returns although the worker is gone
  });

  it("the bot's connection checkpoints again itself, the failure is told, and close still finishes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cp-fail-"));
    const url = `file:${path.join(dir, "bot.db")}`;
    await migrate(url);
    failNext.on = true;
    const failures: string[] = [];
    try {
      const db = await openDatabase(url, { onCheckpointFailure: (r) => failures.push(r) });
      await until(() => failures.length > 0);
      const setting = async () => Number((await db.prisma.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>("PRAGMA wal_autocheckpoint"))[0]!.wal_autocheckpoint);
      await vi.waitFor(async () => expect(await setting()).toBe(1000), { timeout: 5_000 });
      await db.close();
    } finally {
      failNext.on = false;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
