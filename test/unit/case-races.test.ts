// Races of the case lifecycle that only show with real concurrency: several connections to one
// database (as several bot processes, or the bot and the admin CLI), on both engines. A step of
// one side is held at a chosen point (a query extension that waits on a gate) while the other
// side runs, so each interleaving happens every time rather than by luck.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Worker } from "node:worker_threads";
import { once } from "node:events";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { openDatabase, type Db } from "../../src/db/client.js";
import { changeStatus, escalateLapsed, takeCase, type CaseSettings } from "../../src/services/cases/lifecycle.js";
import { createCase, type NewCase } from "../../src/services/cases/intake.js";
import { addCoordinator, removeCoordinator } from "../../src/services/cases/coordinators.js";
import { setLocale } from "../../src/services/people/people.js";
import { sqlitePath } from "../../src/db/url.js";
import { heldAtFirstWrite } from "../helpers/hold.js";

const settings: CaseSettings = { ackSeconds: { normal: 1800, urgent: 600 }, adminTelegramIds: [9000] };

/** A client whose first `case` write waits until released; `arrived` resolves when it is waiting. */

/**
 * Another process writing to the SQLite file, as the admin CLI does: a thread that takes the write
 * lock (BEGIN IMMEDIATE), writes, and commits `ms` later. Resolves once the lock is held, with
 * `committed` (in an object: a promise returned as such would be awaited too).
 */
async function cliHoldsWriteLock(file: string, sql: string, ms: number): Promise<{ committed: Promise<void> }> {
  const locked = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData: w } = require("node:worker_threads");
     const db = new (require("better-sqlite3"))(w.file);
     db.prepare("BEGIN IMMEDIATE").run();
     db.prepare(w.sql).run();
     Atomics.store(w.locked, 0, 1);
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, w.ms);
     db.prepare("COMMIT").run();
     db.close();`,
    { eval: true, workerData: { file, sql, ms, locked } },
  );
  const committed = once(worker, "exit").then(() => undefined);
  while (Atomics.load(locked, 0) === 0) await new Promise((r) => setTimeout(r, 2));
  return { committed };
}

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`case races between connections (${engine.name})`, () => {
    let db: TestDb;
    let others: { prisma: Db; close(): Promise<void> }[];
    let now: Date;
    const clock = () => now;
    let requesterId: number;
    let update = 1;
    const newCase = (over: Partial<NewCase> = {}): NewCase => ({
      requesterId, category: "payments", urgency: "normal", regionCode: "RU-TAM", description: "Не пришла выплата", attachments: [], sourceKey: `c:5000:${update++}`, ...over,
    });
    const coord = (telegramId: number, over: Partial<Parameters<typeof addCoordinator>[1]> = {}) =>
      addCoordinator(db.prisma, { telegramId, regions: ["RU-TAM"], categories: ["payments"], ...over });
    /** Another connection to the same database, as another bot process would have. */
    const connection = async () => {
      const c = await openDatabase(db.url, { checkpointInBackground: false });
      others.push(c);
      return c.prisma;
    };
    /** Every coordinator's count of held cases next to the cases they really hold. */
    const loads = async () => {
      const rows = await db.prisma.coordinator.findMany({ orderBy: { id: "asc" }, include: { cases: { where: { status: { in: ["assigned", "in_progress", "waiting"] } } } } });
      return rows.map((r) => ({ id: r.id, counted: r.openCases, held: r.cases.length }));
    };
    const trueLoads = async () => (await loads()).map((l) => ({ id: l.id, counted: l.held, held: l.held }));

    beforeEach(async () => {
      db = await engine.create();
      others = [];
      now = new Date("2026-11-22T10:00:00Z");
      await setLocale(db.prisma, clock, 5000, "ru");
      requesterId = (await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 5000n } })).id;
    });
    afterEach(async () => {
      for (const c of others) await c.close();
      await db.dispose();
    });

    it("four requests at the same moment from four processes: a coordinator with room for one gets one, the rest wait", async () => {
      const a = await coord(101, { maxOpen: 1 });
      const clients = await Promise.all([1, 2, 3, 4].map(() => connection()));
      const made = await Promise.all(clients.map((c) => createCase(c, clock, newCase(), settings)));
      expect(made.every((m) => m.created)).toBe(true);
      const cases = await db.prisma.case.findMany({ orderBy: { id: "asc" } });
      expect(cases).toHaveLength(4);
      expect(cases.filter((c) => c.coordinatorId === a.id)).toHaveLength(1);
      expect(cases.filter((c) => c.status === "new")).toHaveLength(3);
      expect(await loads()).toEqual([{ id: a.id, counted: 1, held: 1 }]);
      expect(await db.prisma.outbox.count({ where: { method: "ping" } })).toBe(1);
    });

    it("a Take never pushes anyone past their maximum, nor does a hand-over", async () => {
      await coord(101);
      const sup = await coord(110, { supervisor: true, categories: [], maxOpen: 1 });
      const { case: c1 } = await createCase(db.prisma, clock, newCase(), settings);
      const { case: c2 } = await createCase(db.prisma, clock, newCase(), settings);
      expect(await takeCase(db.prisma, clock, c1.id, sup.id)).toBe("taken");
      expect(await takeCase(db.prisma, clock, c2.id, sup.id)).not.toBe("taken");
      expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c2.id } })).status).toBe("assigned");
      expect(await loads()).toEqual(await trueLoads());
      expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: sup.id } })).openCases).toBe(1);
    });

    it("a Take held while the escalation passes the lapsed case on: the case and every count stay true", async () => {
      const a = await coord(101);
      const b = await coord(102);
      const { case: c } = await createCase(db.prisma, clock, newCase(), settings);
      expect(c.coordinatorId).toBe(a.id);
      now = new Date(now.getTime() + 31 * 60_000); // the ping lapsed
      const held = heldAtFirstWrite(await connection(), "case");
      const take = takeCase(held.db, clock, c.id, a.id);
      await held.arrived; // A's Take has read the case, still offered to A
      expect(await escalateLapsed(await connection(), clock, settings)).toBe(1);
      held.release();
      expect(await take).not.toBe("taken");
      expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "assigned", coordinatorId: b.id });
      expect(await loads()).toEqual([{ id: a.id, counted: 0, held: 0 }, { id: b.id, counted: 1, held: 1 }]);
    });

    it("a coordinator removed while the requester cancels: the cancelled case stays cancelled", async () => {
      const a = await coord(101);
      await coord(102);
      const { case: c } = await createCase(db.prisma, clock, newCase(), settings);
      expect(await takeCase(db.prisma, clock, c.id, a.id)).toBe("taken");
      const held = heldAtFirstWrite(await connection(), "case");
      const removal = removeCoordinator(held.db, clock, 101, settings);
      await held.arrived; // the removal has read A's open cases
      expect(await changeStatus(await connection(), clock, c.id, "cancelled", "requester")).toBe(true);
      held.release();
      await removal;
      expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "cancelled", coordinatorId: a.id });
      expect(await loads()).toEqual(await trueLoads());
      expect(await db.prisma.outbox.count({ where: { method: "ping", chatId: 102n } })).toBe(0);
    });

    it("cases nobody can take do not hide newer ones: every waiting case is offered again, oldest first", async () => {
      // 60 requests of a kind nobody handles, then two that a coordinator back on duty can take.
      for (let i = 0; i < 60; i++) await createCase(db.prisma, clock, newCase({ category: "legal" }), settings);
      const { case: older } = await createCase(db.prisma, clock, newCase(), settings);
      const { case: newer } = await createCase(db.prisma, clock, newCase(), settings);
      expect([older.status, newer.status]).toEqual(["new", "new"]);
      const a = await coord(101, { maxOpen: 1 });
      expect(await escalateLapsed(db.prisma, clock, settings)).toBe(1);
      expect(await db.prisma.case.findUniqueOrThrow({ where: { id: older.id } })).toMatchObject({ status: "assigned", coordinatorId: a.id });
      expect((await db.prisma.case.findUniqueOrThrow({ where: { id: newer.id } })).status).toBe("new");
      expect(await db.prisma.case.count({ where: { status: "new" } })).toBe(61);
    });

    it.skipIf(engine.name !== "sqlite")("the admin CLI writing at the same moment: the bot's Take, a new request and a first contact wait for it and succeed", async () => {
      const a = await coord(101);
      const { case: c } = await createCase(db.prisma, clock, newCase(), settings);
      const cli = await cliHoldsWriteLock(sqlitePath(db.url), `UPDATE "Coordinator" SET "maxOpen" = 20 WHERE "telegramId" = 101`, 300);
      const [taken, second] = await Promise.all([takeCase(db.prisma, clock, c.id, a.id), createCase(db.prisma, clock, newCase(), settings), setLocale(db.prisma, clock, 5001, "en")]);
      await cli.committed;
      expect(taken).toBe("taken");
      expect(second.created).toBe(true);
      expect(await db.prisma.case.findMany({ orderBy: { id: "asc" }, select: { status: true, coordinatorId: true } })).toEqual([
        { status: "in_progress", coordinatorId: a.id }, { status: "assigned", coordinatorId: a.id },
      ]);
      expect(await db.prisma.coordinator.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ maxOpen: 20, openCases: 2 });
      expect(await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 5001n } })).toMatchObject({ locale: "en" });
    });
  });
}
