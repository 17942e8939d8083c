// What every update reads and writes besides its handler's work: the person with the chat's session
// and conversation rows in one statement, rows written back only when changed, and the statements
// run straight on SQLite staying out of an open transaction. On both engines.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { ChatRows } from "../../src/bot/transport/storage.js";
import { findPersonAndRows, giveConsent, setLocale } from "../../src/services/people/people.js";
import { transaction } from "../../src/db/transaction.js";
import { hotSql, hotTransaction, sqliteRunnerOf } from "../../src/db/direct.js";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`chat rows (${engine.name})`, () => {
    let db: TestDb;
    beforeEach(async () => (db = await engine.create()));
    afterEach(async () => db.dispose());

    const row = (key: string) => db.prisma.session.findUnique({ where: { key } });

    it("reads the person with the chat's rows at once", async () => {
      await setLocale(db.prisma, () => new Date(), 3_000_000_001, "lt");
      await giveConsent(db.prisma, () => new Date("2026-11-01T10:00:00Z"), 3_000_000_001, "2026-11");
      await db.prisma.session.create({ data: { key: "conversation:3000000001", value: '{"form":[1]}' } });
      const found = await findPersonAndRows(db.prisma, 3_000_000_001, "3000000001", "conversation:3000000001");
      expect(found.person).toMatchObject({ telegramId: 3_000_000_001, locale: "lt", refusedAt: null, role: null, consent: { version: "2026-11", givenAt: new Date("2026-11-01T10:00:00Z") } });
      expect(found.rows).toEqual([null, '{"form":[1]}']);
      // Nobody yet, no chat: nothing, and no error.
      expect(await findPersonAndRows(db.prisma, 42, null, null)).toEqual({ person: null, rows: [null, null] });
    });

    it("says with the person whether they are an active coordinator, so others skip the lookup", async () => {
      await setLocale(db.prisma, () => new Date(), 3_000_000_002, "ru");
      const coordinator = async () => (await findPersonAndRows(db.prisma, 3_000_000_002, null, null)).person?.coordinator;
      expect(await coordinator()).toBe(false);
      await db.prisma.coordinator.create({ data: { telegramId: 3_000_000_002n, categories: "legal" } });
      expect(await coordinator()).toBe(true);
      await db.prisma.coordinator.update({ where: { telegramId: 3_000_000_002n }, data: { active: false } });
      expect(await coordinator()).toBe(false);
    });

    it("keeps all or nothing of a transaction of its own statements", async () => {
      const keys = async () => (await db.prisma.session.findMany({ orderBy: { key: "asc" } })).map((r) => r.key);
      await expect(
        hotTransaction(db.prisma, async (sql) => {
          await sql`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${"a"}, ${"{}"}, ${new Date()})`;
          await sql`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${"a"}, ${"{}"}, ${new Date()})`; // the same key: fails
        }),
      ).rejects.toThrow();
      expect(await keys()).toEqual([]);
      const n = await hotTransaction(db.prisma, async (sql) => {
        await sql`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${"b"}, ${"{}"}, ${new Date()})`;
        return (await sql<{ n: number }>`SELECT COUNT(*) AS "n" FROM "Session"`)[0]!.n;
      });
      expect(Number(n)).toBe(1);
      expect(await keys()).toEqual(["b"]);
    });

    it("answers reads from what was held, and writes a row back only when it changed", async () => {
      const rows = new ChatRows(db.prisma);
      const store = rows.adapter<{ n: number }>();
      await store.write("7", { n: 1 });
      const stamp = new Date("2026-01-01T00:00:00Z");
      await db.prisma.session.update({ where: { key: "7" }, data: { updatedAt: stamp } });
      rows.hold([["7", '{"n":1}'], ["conversation:7", null]]);
      expect(await store.read("7")).toEqual({ n: 1 });
      expect(await store.read("conversation:7")).toBeUndefined();
      await store.write("7", { n: 1 }); // unchanged: not written
      await store.delete("conversation:7"); // nothing there: nothing to do
      expect((await row("7"))!.updatedAt).toEqual(stamp);
      await store.write("7", { n: 2 });
      expect((await row("7"))!.value).toBe('{"n":2}');
      await store.write("7", { n: 2 }); // the same again after a write: still nothing to do
      await store.delete("7");
      expect(await row("7")).toBeNull();
      rows.release(["7", "conversation:7"]);
      // Outside an update, reads and writes go to the database.
      await db.prisma.session.create({ data: { key: "7", value: '{"n":5}' } });
      expect(await store.read("7")).toEqual({ n: 5 });
      await store.write("7", { n: 5 });
      expect((await row("7"))!.updatedAt.getTime()).toBeGreaterThan(stamp.getTime());
    });

    it.skipIf(engine.name !== "sqlite")("runs its statements after an open transaction, never inside it", async () => {
      expect(sqliteRunnerOf(db.prisma)).toBeDefined();
      let inside!: Promise<unknown>;
      await expect(
        transaction(db.prisma, async (tx) => {
          await tx.session.create({ data: { key: "rolled-back", value: "{}" } });
          // Started while the transaction is open; must wait for it, not join it and vanish with it.
          inside = hotSql(db.prisma)`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${"kept"}, ${"{}"}, ${new Date()})`;
          await new Promise((r) => setTimeout(r, 50));
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      await inside;
      expect(await row("rolled-back")).toBeNull();
      expect(await row("kept")).not.toBeNull();
    });

    it.skipIf(engine.name !== "sqlite")("keeps other statements out of a transaction of its own statements", async () => {
      let inside!: Promise<unknown>;
      await expect(
        hotTransaction(db.prisma, async (sql) => {
          await sql`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${"rolled-back"}, ${"{}"}, ${new Date()})`;
          inside = db.prisma.session.create({ data: { key: "kept", value: "{}" } });
          await new Promise((r) => setTimeout(r, 50));
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      await inside;
      expect(await row("rolled-back")).toBeNull();
      expect(await row("kept")).not.toBeNull();
    });
  });
}
