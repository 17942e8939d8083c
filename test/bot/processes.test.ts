// Several bot processes on one database: a chat's updates are handled one at a time and in order
// across processes (per-chat claims in the inbox), each job is run by one process at a time (job
// leases, renewed while the job runs), and SQLite refuses a second process.
import { Composer } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import { ENGINES, sqliteTestDb, type TestDb } from "../helpers/db.js";
import { harness, type Harness } from "../helpers/harness.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import type { BotContext } from "../../src/bot/context.js";
import type { Feature } from "../../src/bot/feature.js";
import { receiveUpdates } from "../../src/services/delivery/updates.js";
import { startJobs, type Job } from "../../src/jobs/scheduler.js";
import { createLogger } from "../../src/logger.js";
import { holdSingleProcessLock, SecondProcessError } from "../../src/db/single-process.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long the slow command takes. */
let pause = 30;

/** A feature that takes its time over "slow N" messages and notes when each began and ended. */
function slowFeature(log: { n: number; start: number; end: number; by: string }[], by: string): Feature {
  const composer = new Composer<BotContext>();
  composer.command("slow", async (ctx) => {
    const start = performance.now();
    await sleep(pause);
    log.push({ n: Number(ctx.match), start, end: performance.now(), by });
  });
  return { name: `slow-${by}`, composer };
}

async function until(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(25);
  }
}

const postgres = ENGINES.find((e) => e.name === "postgresql")!;

describe.skipIf(postgres.skip)("two bot processes on one PostgreSQL schema", () => {
  let db: TestDb;
  let second: Database;
  let a: Harness;
  let b: Harness;
  const log: { n: number; start: number; end: number; by: string }[] = [];
  beforeEach(async () => {
    log.length = 0;
    pause = 30;
    db = await postgres.create();
    second = await openDatabase(db.url); // process B has its own connection pool
    a = await harness(db, { env: { INSTANCE_NAME: "proc-a" }, features: [slowFeature(log, "a")] });
    b = await harness({ ...db, prisma: second.prisma }, { env: { INSTANCE_NAME: "proc-b" }, features: [slowFeature(log, "b")] });
  });
  afterEach(async () => {
    await second.close();
    await db.dispose();
  });

  const slow = (u: ReturnType<Harness["user"]>, n: number) => a.message(u, { text: `/slow ${n}`, entities: [{ type: "bot_command", offset: 0, length: 5 }] });
  const noOverlap = () => {
    const byStart = [...log].sort((x, y) => x.start - y.start);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.start).toBeGreaterThanOrEqual(byStart[i - 1]!.end);
  };

  it("handles a chat's updates arriving at both processes at once one at a time, in order, each once", async () => {
    const maria = await a.member(7201);
    const updates: Update[] = Array.from({ length: 12 }, (_, i) => slow(maria, i));
    // All twelve are on record (webhook calls arrived), then both processes work on them at once,
    // in shuffled order, with duplicates.
    await receiveUpdates(db.prisma, updates, new Date());
    const shuffled = [...updates].reverse();
    await Promise.all([
      ...shuffled.map((u, i) => (i % 2 ? a : b).bot.handleUpdate(structuredClone(u))),
      ...updates.slice(0, 4).map((u) => b.bot.handleUpdate(structuredClone(u))),
    ]);
    await until(async () => (await db.prisma.inboxUpdate.count({ where: { handledAt: null } })) === 0);
    await until(async () => log.length >= 12);
    await sleep(100); // a late second handling would show now
    expect(log.map((e) => e.n)).toEqual([...Array(12).keys()]);
    noOverlap();
    const rows = await db.prisma.inboxUpdate.findMany({ where: { updateId: { in: updates.map((u) => BigInt(u.update_id)) } } });
    expect(rows.every((r) => r.attempts === 1 && r.handledAt && (r.claimedBy === "proc-a" || r.claimedBy === "proc-b"))).toBe(true);
  });

  it("keeps order for updates arriving one after another at alternating processes while the previous is in hand", async () => {
    const maria = await a.member(7202);
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      sends.push((i % 2 ? b : a).bot.handleUpdate(slow(maria, i)));
      await sleep(8); // the next arrives while this one is being handled elsewhere
    }
    await Promise.all(sends);
    await until(async () => log.length >= 10);
    expect(log.map((e) => e.n)).toEqual([...Array(10).keys()]);
    noOverlap();
  });

  it("still handles two different chats at the same time", async () => {
    const [p, q] = [await a.member(7203), await a.member(7204)];
    pause = 1000; // much longer than the time to claim, even on a busy machine
    await Promise.all([a.bot.handleUpdate(slow(p, 1)), b.bot.handleUpdate(slow(q, 2))]);
    expect(log).toHaveLength(2);
    expect(log[1]!.start).toBeLessThan(log[0]!.end); // overlapped
  });
});

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`job leases (${engine.name})`, () => {
    let db: TestDb;
    beforeEach(async () => {
      db = await engine.create();
    });
    afterEach(async () => db.dispose());
    const logger = createLogger("silent");

    it("runs a job in one of two runners at a time; the other takes over when the first stops", async () => {
      const runs: { by: string; start: number; end: number }[] = [];
      const job = (by: string): Job => ({
        name: "outbox", everyMs: 20,
        run: async () => {
          const start = performance.now();
          await sleep(15);
          runs.push({ by, start, end: performance.now() });
        },
      });
      const leases = (holder: string) => ({ prisma: db.prisma, holder, clock: () => new Date(), leaseMs: () => 3000 });
      const one = startJobs([job("one")], logger, leases("one"));
      const two = startJobs([job("two")], logger, leases("two"));
      await until(async () => runs.length >= 6);
      const holder = runs[0]!.by;
      await (holder === "one" ? one : two).stop();
      const handover = runs.length;
      await until(async () => runs.length >= handover + 2);
      await (holder === "one" ? two : one).stop();
      const first = runs.slice(0, handover);
      expect(new Set(first.map((r) => r.by)).size).toBe(1); // the first holder kept it
      expect(runs.slice(handover).some((r) => r.by !== first[0]!.by)).toBe(true); // released on stop, taken over
      const sorted = [...runs].sort((x, y) => x.start - y.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
      const row = await db.prisma.jobLease.findUniqueOrThrow({ where: { name: "outbox" } });
      expect(row.runs).toBe(runs.length);
      expect(row.lastOk).toBe(true);
    });

    it("renews the lease while a run lasts longer than the lease, so no other runner starts it", async () => {
      const started: string[] = [];
      let running = 0;
      let overlapped = false;
      const job = (by: string, ms: number): Job => ({
        name: "escalation", everyMs: 30,
        run: async () => {
          started.push(by);
          if (++running > 1) overlapped = true;
          await sleep(ms);
          running--;
        },
      });
      const leases = (holder: string) => ({ prisma: db.prisma, holder, clock: () => new Date(), leaseMs: () => 600 });
      const slow = startJobs([job("slow", 2400)], logger, leases("slow")); // four leases long
      await until(async () => started.length === 1);
      const other = startJobs([job("other", 1)], logger, leases("other"));
      await sleep(1800); // three leases' time, while the slow run goes on
      expect(started).toEqual(["slow"]);
      const row = await db.prisma.jobLease.findUniqueOrThrow({ where: { name: "escalation" } });
      expect(row.holder).toBe("slow");
      expect(row.leaseUntil!.getTime()).toBeGreaterThan(Date.now()); // renewed past its first 600 ms
      await slow.stop();
      await until(async () => started.includes("other"));
      await other.stop();
      expect(overlapped).toBe(false);
    });
  });
}

describe("SQLite is one process", () => {
  it("refuses a second bot process on the same file and allows one after the first ends", async () => {
    const db = await sqliteTestDb();
    const file = db.url.replace(/^file:/, "");
    const first = holdSingleProcessLock(file);
    expect(() => holdSingleProcessLock(file)).toThrow(SecondProcessError);
    first.release();
    holdSingleProcessLock(file).release();
    await db.dispose();
  });
});
