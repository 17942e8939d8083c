// Migrations and the people/updates services on both engines.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import { ENGINES, sqliteTestDb, type TestDb } from "../helpers/db.js";
import { migrate } from "../../src/db/migrate.js";
import { consentStatus, findPerson, giveConsent, refuseConsent, setLocale, withdrawConsent } from "../../src/services/people/people.js";
import type { Update } from "grammy/types";
import { admitUpdate, isHandled, markHandled, MAX_ATTEMPTS, CLAIM_MS, pruneInbox, receiveUpdates, unfinishedUpdates } from "../../src/services/delivery/updates.js";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`database (${engine.name})`, () => {
    let db: TestDb;
    let now = new Date("2026-11-22T10:00:00Z");
    const clock = () => now;
    beforeEach(async () => {
      db = await engine.create();
      now = new Date("2026-11-22T10:00:00Z");
    });
    afterEach(async () => db.dispose());

    it("applies migrations once and records them as Prisma does", async () => {
      const again = await migrate(db.url);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBeGreaterThan(0);
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(`SELECT migration_name, checksum FROM "_prisma_migrations"`);
      expect(rows[0]!.migration_name).toMatch(/^\d{14}_init$/);
      expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    });

    it("two processes migrating at once apply each migration once", async () => {
      const url = engine.emptyUrl();
      try {
        const results = await Promise.all([migrate(url), migrate(url)]);
        const applied = results.flatMap((r) => r.applied).sort();
        expect(applied).toEqual([...new Set(applied)]);
        expect(applied.length).toBeGreaterThanOrEqual(2);
      } finally {
        await engine.drop(url);
      }
    });

    it("keeps consent history: given, superseded by a new version, withdrawn", async () => {
      await setLocale(db.prisma, clock, 42, "ru");
      expect(consentStatus(await findPerson(db.prisma, 42), "1")).toBe("none");
      expect(await giveConsent(db.prisma, clock, 42, "1")).toBe(true);
      expect(await giveConsent(db.prisma, clock, 42, "1")).toBe(false);
      let p = await findPerson(db.prisma, 42);
      expect(consentStatus(p, "1")).toBe("given");
      expect(consentStatus(p, "2")).toBe("outdated");
      expect(p!.consent!.givenAt.toISOString()).toBe("2026-11-22T10:00:00.000Z");
      now = new Date("2026-12-01T00:00:00Z");
      expect(await giveConsent(db.prisma, clock, 42, "2")).toBe(true);
      expect(await withdrawConsent(db.prisma, clock, 42)).toBeInstanceOf(Date);
      expect(await withdrawConsent(db.prisma, clock, 42)).toBeNull();
      p = await findPerson(db.prisma, 42);
      expect(consentStatus(p, "2")).toBe("none");
      const history = await db.prisma.consent.findMany({ orderBy: { id: "asc" } });
      expect(history.map((c) => [c.version, c.withdrawnAt?.toISOString()])).toEqual([
        ["1", "2026-12-01T00:00:00.000Z"],
        ["2", "2026-12-01T00:00:00.000Z"],
      ]);
      await refuseConsent(db.prisma, clock, 42);
      expect(consentStatus(await findPerson(db.prisma, 42), "2")).toBe("refused");
    });

    it("handles Telegram ids above 2^31", async () => {
      const big = 7_999_999_999;
      await setLocale(db.prisma, clock, big, "lt");
      expect((await findPerson(db.prisma, big))!.telegramId).toBe(big);
    });

    it("keeps received updates until handled, then only their id, and forgets them after two days", async () => {
      const upd = (id: number, text: string): Update => ({ update_id: id, message: { message_id: id, date: 1, chat: { id: 5, type: "private", first_name: "A" }, from: { id: 5, is_bot: false, first_name: "A" }, text } });
      await receiveUpdates(db.prisma, [upd(1, "old")], new Date("2026-11-20T00:00:00Z"));
      await receiveUpdates(db.prisma, [upd(2, "Иванова"), upd(3, "later")], new Date("2026-11-22T09:00:00Z"));
      await receiveUpdates(db.prisma, [upd(2, "Иванова")], new Date("2026-11-22T09:00:00Z")); // fetched twice: one row
      expect(await admitUpdate(db.prisma, upd(2, "Иванова"), new Date("2026-11-22T09:00:01Z"))).toBe("handle");
      await markHandled(db.prisma, 2, new Date("2026-11-22T09:00:02Z"));
      expect(await isHandled(db.prisma, 2)).toBe(true);
      // What the person wrote is gone once handled; the id stays for de-duplication.
      expect((await db.prisma.inboxUpdate.findUnique({ where: { updateId: 2n } }))!.payload).toBeNull();
      expect(await admitUpdate(db.prisma, upd(2, "Иванова"), new Date("2026-11-22T09:00:03Z"))).toBe("already-handled");
      expect((await unfinishedUpdates(db.prisma, new Date("2026-11-19T00:00:00Z"), new Date("2026-11-22T09:00:04Z"))).map((u) => u.update_id)).toEqual([1, 3]);
      expect((await unfinishedUpdates(db.prisma, new Date("2026-11-21T00:00:00Z"), new Date("2026-11-22T09:00:04Z"))).map((u) => u.update_id)).toEqual([3]);
      expect(await pruneInbox(db.prisma, new Date("2026-11-21T00:00:00Z"))).toBe(1);
      expect(await db.prisma.inboxUpdate.count()).toBe(2);
    });

    it("gives up an update that never finishes after a few attempts", async () => {
      const upd: Update = { update_id: 9, message: { message_id: 9, date: 1, chat: { id: 5, type: "private", first_name: "A" }, from: { id: 5, is_bot: false, first_name: "A" }, text: "x" } };
      const at = new Date("2026-11-22T09:00:00Z");
      // Each attempt's process died holding it: the next one may take it once the claim has run out.
      const later = (i: number) => new Date(at.getTime() + i * (CLAIM_MS + 1));
      for (let i = 0; i < MAX_ATTEMPTS; i++) {
        expect(await admitUpdate(db.prisma, upd, later(i))).toBe("handle");
        expect(await admitUpdate(db.prisma, upd, later(i))).toBe("in-hand");
      }
      expect(await admitUpdate(db.prisma, upd, later(MAX_ATTEMPTS))).toBe("given-up");
      expect(await isHandled(db.prisma, 9)).toBe(true);
      expect(await unfinishedUpdates(db.prisma, new Date(0), at)).toEqual([]);
    });

    it("records a webhook update already claimed, and takes an id Telegram reused for the new update", async () => {
      const upd = (id: number, messageId: number, text: string): Update => ({ update_id: id, message: { message_id: messageId, date: 1, chat: { id: 5, type: "private", first_name: "A" }, from: { id: 5, is_bot: false, first_name: "A" }, text } });
      const at = new Date("2026-11-22T09:00:00Z");
      expect(await admitUpdate(db.prisma, upd(7, 70, "first"), at)).toBe("handle");
      const row = (await db.prisma.inboxUpdate.findUnique({ where: { updateId: 7n } }))!;
      expect({ attempts: row.attempts, claimedUntil: row.claimedUntil, chatId: row.chatId, receivedAt: row.receivedAt, handledAt: row.handledAt })
        .toEqual({ attempts: 1, claimedUntil: new Date(at.getTime() + CLAIM_MS), chatId: 5n, receivedAt: at, handledAt: null });
      expect(JSON.parse(row.payload!).message.text).toBe("first");
      // The recovery job sees it as unfinished once received, and leaves it to its holder meanwhile.
      expect(await unfinishedUpdates(db.prisma, new Date(0), new Date(at.getTime() + 1000))).toEqual([]);
      expect((await unfinishedUpdates(db.prisma, new Date(0), new Date(at.getTime() + CLAIM_MS + 1))).map((u) => u.update_id)).toEqual([7]);
      await markHandled(db.prisma, 7, new Date(at.getTime() + 10));
      expect(await admitUpdate(db.prisma, upd(7, 70, "first"), new Date(at.getTime() + 20))).toBe("already-handled");
      // Weeks later the same id comes with another message: a new update, handled once.
      const later = new Date("2026-12-22T09:00:00Z");
      expect(await admitUpdate(db.prisma, upd(7, 71, "second"), later)).toBe("handle");
      expect(await admitUpdate(db.prisma, upd(7, 71, "second"), later)).toBe("in-hand");
      await markHandled(db.prisma, 7, later);
      expect(await admitUpdate(db.prisma, upd(7, 71, "second"), later)).toBe("already-handled");
      expect(await db.prisma.inboxUpdate.count()).toBe(1);
    });
  });
}

describe("SQLite WAL checkpoints", () => {
  it("are made by the background worker, not by the bot's connection, and close leaves an empty log", async () => {
    const db = await sqliteTestDb();
    const file = db.url.replace(/^file:/, "");
    try {
      const [setting] = await db.prisma.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>("PRAGMA wal_autocheckpoint");
      expect(Number(setting!.wal_autocheckpoint)).toBe(0);
      for (let i = 0; i < 50; i++) await setLocale(db.prisma, () => new Date(), 9000 + i, "ru");
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      const result = await db.checkpointer!.now();
      expect(result.log).toBeGreaterThan(0);
      expect(result.checkpointed).toBe(result.log);
      await db.close();
      expect(statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
      // Everything is in the database file itself.
      const plain = new Database(file, { readonly: true });
      expect((plain.prepare(`SELECT count(*) AS n FROM "Person"`).get() as { n: number }).n).toBe(50);
      plain.close();
    } finally {
      await db.dispose().catch(() => undefined);
    }
  });
});
