// Reminders and event changes on both engines: reminders are ScheduledJob rows turned into outbox
// notices exactly once, whether the runner runs twice, two run at once, or one dies after claiming;
// a moved event reminds at its new time; changes and cancellation reach everyone signed up.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { openDatabase, type Db } from "../../src/db/client.js";
import { signUp } from "../../src/services/events/enrolment.js";
import { cancelEvent, finishEndedEvents, updateEvent } from "../../src/services/events/organise.js";
import { JOB_LEASE_MS, runDueJobs } from "../../src/services/events/runner.js";
import type { Organiser } from "../../src/services/events/settings.js";
import { organiser, participant, publishedEvent, settings, START, T0 } from "../helpers/events.js";

const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`event reminders and changes (${engine.name})`, () => {
    let db: TestDb;
    let others: { close(): Promise<void> }[];
    let org: Organiser;
    let now: Date;
    const clock = () => now;
    let key = 1;
    const k = () => `cb:${key++}`;
    const connection = async (): Promise<Db> => {
      const c = await openDatabase(db.url, { checkpointInBackground: false });
      others.push(c);
      return c.prisma;
    };
    const reminders = () => db.prisma.outbox.findMany({ where: { method: "event_reminder" }, orderBy: { id: "asc" } });

    beforeEach(async () => {
      db = await engine.create();
      others = [];
      now = T0;
      org = await organiser(db.prisma);
    });
    afterEach(async () => {
      for (const c of others) await c.close();
      await db.dispose();
    });

    it("a confirmation schedules reminders 24 h and 2 h before; each becomes one notice, however often the runner runs", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 10 });
      const people: number[] = [];
      for (let i = 0; i < 3; i++) people.push(await participant(db.prisma));
      for (const p of people) await signUp(db.prisma, clock, { eventId, personId: p, key: k() }, settings);
      expect(await db.prisma.scheduledJob.count({ where: { kind: "reminder" } })).toBe(6);
      expect(await runDueJobs(db.prisma, clock, settings)).toBe(0);
      now = new Date(START.getTime() - 24 * HOUR);
      expect(await runDueJobs(db.prisma, clock, settings)).toBe(3);
      expect(await runDueJobs(db.prisma, clock, settings)).toBe(0);
      expect(await reminders()).toHaveLength(3);
      now = new Date(START.getTime() - 1 * HOUR);
      // Two runners (two processes) at once.
      const [x, y] = await Promise.all([runDueJobs(await connection(), clock, settings), runDueJobs(await connection(), clock, settings)]);
      expect(x + y).toBe(3);
      const sent = await reminders();
      expect(sent).toHaveLength(6);
      expect(sent.map((r) => JSON.parse(r.payload).hoursBefore).sort()).toEqual([2, 2, 2, 24, 24, 24]);
    });

    it("a runner that dies after claiming: the job is done once by the next runner after the lease", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 10 });
      await signUp(db.prisma, clock, { eventId, personId: await participant(db.prisma), key: k() }, settings);
      now = new Date(START.getTime() - 3 * HOUR);
      // What a killed process leaves: the rows claimed, nothing done.
      await db.prisma.scheduledJob.updateMany({ where: { kind: "reminder" }, data: { claimedUntil: new Date(now.getTime() + JOB_LEASE_MS) } });
      expect(await runDueJobs(db.prisma, clock, settings)).toBe(0);
      now = new Date(now.getTime() + JOB_LEASE_MS + 1000);
      const [x, y] = await Promise.all([runDueJobs(await connection(), clock, settings), runDueJobs(await connection(), clock, settings)]);
      expect(x + y).toBe(1);
      expect(await runDueJobs(db.prisma, clock, settings)).toBe(0);
      expect(await reminders()).toHaveLength(1);
      expect(await db.prisma.scheduledJob.count({ where: { doneAt: null, dueAt: { lte: now } } })).toBe(0);
    });

    it("a moved event: everyone signed up is told once, old reminders stay silent, new ones come at the new time", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 1 });
      const [a, b] = [await participant(db.prisma), await participant(db.prisma)];
      await signUp(db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      const later = new Date(START.getTime() + 48 * HOUR);
      const press = k();
      expect(await updateEvent(db.prisma, clock, eventId, { startsAt: later, endsAt: new Date(later.getTime() + 8 * HOUR), place: "Тамбов, ул. Советская, 1" }, org, press, settings)).toBe("changed");
      expect(await updateEvent(db.prisma, clock, eventId, { startsAt: later, place: "Тамбов, ул. Советская, 1" }, org, press, settings)).toBe("changed");
      const changed = await db.prisma.outbox.findMany({ where: { method: "event_changed" } });
      expect(changed).toHaveLength(2); // the confirmed and the waiting person, once each
      expect(JSON.parse(changed[0]!.payload).fields).toEqual(["startsAt", "endsAt", "place"]);
      now = new Date(START.getTime() - 1 * HOUR); // the old reminders are due
      await runDueJobs(db.prisma, clock, settings);
      expect(await reminders()).toHaveLength(0);
      now = new Date(later.getTime() - 23 * HOUR);
      await runDueJobs(db.prisma, clock, settings);
      now = new Date(later.getTime() - 1 * HOUR);
      await runDueJobs(db.prisma, clock, settings);
      expect((await reminders()).map((r) => JSON.parse(r.payload).hoursBefore)).toEqual([24, 2]);
    });

    it("a cancelled event: everyone signed up is told, places end, and no reminder follows", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 1 });
      const [a, b] = [await participant(db.prisma), await participant(db.prisma)];
      await signUp(db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      const press = k();
      expect(await cancelEvent(db.prisma, clock, eventId, org, press)).toBe("cancelled");
      expect(await cancelEvent(db.prisma, clock, eventId, org, press)).toBe("not_found");
      expect(await db.prisma.outbox.count({ where: { method: "event_cancelled" } })).toBe(2);
      expect(await db.prisma.enrolment.count({ where: { eventId, status: "cancelled", endReason: "event_cancelled" } })).toBe(2);
      now = new Date(START.getTime() - 1 * HOUR);
      await runDueJobs(db.prisma, clock, settings);
      expect(await reminders()).toHaveLength(0);
    });

    it("a runner down for a day: the late 24 h reminder is dropped for the 2 h one; none after the start", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 5 });
      await signUp(db.prisma, clock, { eventId, personId: await participant(db.prisma), key: k() }, settings);
      now = new Date(START.getTime() - 1 * HOUR);
      expect(await runDueJobs(db.prisma, clock, settings)).toBe(2);
      expect((await reminders()).map((r) => JSON.parse(r.payload).hoursBefore)).toEqual([2]);
      const other = await publishedEvent(db.prisma, org, { capacity: 5 });
      now = T0;
      await signUp(db.prisma, clock, { eventId: other, personId: await participant(db.prisma), key: k() }, settings);
      now = new Date(START.getTime() + 1 * HOUR);
      expect(await runDueJobs(db.prisma, clock, settings)).toBe(2);
      expect(await reminders()).toHaveLength(1);
      // Once over, the events are finished (they leave the published lists; figures count them).
      now = new Date(START.getTime() + 40 * HOUR);
      expect(await finishEndedEvents(db.prisma, clock)).toBe(2);
      expect(await db.prisma.event.count({ where: { status: "finished" } })).toBe(2);
    });

    it("only organisers (or administrators) change events", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 1 });
      const plain = await db.prisma.coordinator.create({ data: { telegramId: 5555n, categories: "payments" } });
      expect(await updateEvent(db.prisma, clock, eventId, { capacity: 3 }, { coordinatorId: plain.id }, k(), settings)).toBe("not_allowed");
      expect(await cancelEvent(db.prisma, clock, eventId, { coordinatorId: plain.id }, k())).toBe("not_allowed");
      expect(await updateEvent(db.prisma, clock, eventId, { capacity: 3 }, { coordinatorId: 0, admin: true }, k(), settings)).toBe("changed");
    });
  });
}
