// A sign-up writes its notices and reminders with our own SQL (db/direct.ts), while every other
// caller goes through Prisma: both must store the very same rows (dates, big ids, defaults), or the
// delivery and job runners would read the two kinds differently. Compared column by column, as
// stored, on both engines.
import { describe, expect, it } from "vitest";
import { ENGINES } from "../helpers/db.js";
import { eventsWorld, settings, START, T0 } from "../helpers/events.js";
import { hotTransaction } from "../../src/db/direct.js";
import { enqueue, enqueueSql } from "../../src/services/delivery/outbox.js";
import { scheduleReminders, scheduleRemindersSql } from "../../src/services/events/schedule.js";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`rows of a sign-up's own SQL (${engine.name})`, () => {
    const w = eventsWorld(engine);

    /** Every column of the table's rows as stored, as text with its type; `id` left out. */
    async function stored(table: string, keyLike: string) {
      const db = w.db.prisma;
      const cols = engine.name === "sqlite"
        ? (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_table_info('${table}')`)).map((c) => c.name)
        : (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT column_name::text AS name FROM information_schema.columns WHERE table_name = '${table}' AND table_schema = current_schema()`)).map((c) => c.name);
      const shown = cols.filter((c) => c !== "id").map((c) => (engine.name === "sqlite" ? `typeof("${c}") || ':' || quote("${c}") AS "${c}"` : `pg_typeof("${c}")::text || ':' || coalesce("${c}"::text, 'NULL') AS "${c}"`));
      return db.$queryRawUnsafe<Record<string, string>[]>(`SELECT ${shown.join(", ")} FROM "${table}" WHERE "key" LIKE '${keyLike}' ORDER BY "id"`);
    }

    it("an outbox notice: the same row from enqueue and enqueueSql, and a second one with the key changes nothing", async () => {
      const notice = { kind: "event_confirmed", eventId: 7, enrolmentId: 9 } as const;
      await w.db.prisma.$transaction((tx) => enqueue(tx, T0, "prisma:1", 5_000_000_001n, notice));
      await hotTransaction(w.db.prisma, (sql) => enqueueSql(sql, T0, "own:1", 5_000_000_001n, notice));
      await hotTransaction(w.db.prisma, (sql) => enqueueSql(sql, new Date(T0.getTime() + 1000), "own:1", 1n, notice));
      const [a] = await stored("Outbox", "prisma:%");
      const [b, again] = await stored("Outbox", "own:%");
      expect(again).toBeUndefined();
      expect({ ...b, key: "" }).toEqual({ ...a, key: "" });
      expect(b!.chatId).toContain("5000000001");
      expect(b!.createdAt).toContain("2026-12-01");
    });

    it("reminders: the same rows from scheduleReminders and scheduleRemindersSql", async () => {
      const now = new Date(START.getTime() - 3 * 86_400_000);
      await w.db.prisma.$transaction((tx) => scheduleReminders(tx, now, { startsAt: START }, 41, settings));
      await hotTransaction(w.db.prisma, (sql) => scheduleRemindersSql(sql, now, { startsAt: START }, 42, settings));
      await hotTransaction(w.db.prisma, (sql) => scheduleRemindersSql(sql, now, { startsAt: START }, 42, settings));
      const a = await stored("ScheduledJob", "reminder:41:%");
      const b = await stored("ScheduledJob", "reminder:42:%");
      expect(a.length).toBe(settings.reminderHours.length);
      const strip = (rows: Record<string, string>[]) => rows.map((r) => JSON.stringify(r).replaceAll("41", "N").replaceAll("42", "N"));
      expect(strip(b)).toEqual(strip(a));
    });
  });
}
