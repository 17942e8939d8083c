// SQLite has one connection: a write made outside a transaction while one is open must not become
// part of it (and vanish when it rolls back).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";

describe("SQLite: writes outside a transaction", () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await sqliteTestDb();
  });
  afterEach(async () => db.dispose());

  it("a write made while another transaction is open survives that transaction's rollback", async () => {
    await db.prisma.session.createMany({ data: [{ key: "s", value: "before" }, { key: "r", value: "before" }] });
    let inside!: () => void;
    const opened = new Promise<void>((r) => (inside = r));
    const failing = db.prisma
      .$transaction(async (tx) => {
        await tx.auditEvent.create({ data: { action: "inside", at: new Date() } });
        inside();
        await new Promise((r) => setTimeout(r, 100));
        throw new Error("rolled back");
      })
      .catch((e: Error) => e.message);
    await opened;
    const outside = Promise.all([
      db.prisma.auditEvent.create({ data: { action: "outside", at: new Date() } }),
      db.prisma.session.updateMany({ where: { key: "s" }, data: { value: "after" } }),
      db.prisma.$executeRaw`UPDATE "Session" SET "value" = 'raw' WHERE "key" = 'r'`,
    ]);
    expect(await failing).toBe("rolled back");
    await outside;
    expect((await db.prisma.auditEvent.findMany()).map((a) => a.action)).toEqual(["outside"]);
    expect((await db.prisma.session.findMany({ orderBy: { key: "asc" } })).map((r) => r.value)).toEqual(["raw", "after"]);
  });
});
