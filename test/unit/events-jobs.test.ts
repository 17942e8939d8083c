// Reminders and event changes on both engines: reminders are ScheduledJob rows turned into outbox
// notices exactly once, whether the runner runs twice, two run at once, or one dies after claiming;
// a moved event reminds at its new time; changes and cancellation reach everyone signed up.
import { describe, expect, it } from "vitest";
import { ENGINES } from "../helpers/db.js";
import { signUp } from "../../src/services/events/enrolment.js";
import { cancelEvent, finishEndedEvents, updateEvent } from "../../src/services/events/organise.js";
import { JOB_LEASE_MS, runDueJobs } from "../../src/services/events/runner.js";
import { eventsWorld, participant, publishedEvent, settings, START, T0 } from "../helpers/events.js";

const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`event reminders and changes (${engine.name})`, () => {
    const w = eventsWorld(engine);
    const { clock, k, connection } = w;
    const reminders = () => w.db.prisma.outbox.findMany({ where: { method: "event_reminder" }, orderBy: { id: "asc" } });


    it("a confirmation schedules reminders 24 h and 2 h before; each becomes one notice, however often the runner runs", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 10 });
      const people: number[] = [];
      for (let i = 0; i < 3; i++) people.push(await participant(w.db.prisma));
      for (const p of people) await signUp(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings);
      expect(await w.db.prisma.scheduledJob.count({ where: { kind: "reminder" } })).toBe(6);
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(0);
      w.now = new Date(START.getTime() - 24 * HOUR);
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(3);
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(0);
      expect(await reminders()).toHaveLength(3);
      w.now = new Date(START.getTime() - 1 * HOUR);
      // Two runners (two processes) at once.
      const [x, y] = await Promise.all([runDueJobs(await connection(), clock, settings), runDueJobs(await connection(), clock, settings)]);
      expect(x + y).toBe(3);
      const sent = await reminders();
      expect(sent).toHaveLength(6);
      expect(sent.map((r) => JSON.parse(r.payload).hoursBefore).sort()).toEqual([2, 2, 2, 24, 24, 24]);
    });

    it("a runner that dies after claiming: the job is done once by the next runner after the lease", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 10 });
      await signUp(w.db.prisma, clock, { eventId, personId: await participant(w.db.prisma), key: k() }, settings);
      w.now = new Date(START.getTime() - 3 * HOUR);
      // What a killed process leaves: the rows claimed, nothing done.
      await w.db.prisma.scheduledJob.updateMany({ where: { kind: "reminder" }, data: { claimedUntil: new Date(w.now.getTime() + JOB_LEASE_MS) } });
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(0);
      w.now = new Date(w.now.getTime() + JOB_LEASE_MS + 1000);
      const [x, y] = await Promise.all([runDueJobs(await connection(), clock, settings), runDueJobs(await connection(), clock, settings)]);
      expect(x + y).toBe(1);
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(0);
      expect(await reminders()).toHaveLength(1);
      expect(await w.db.prisma.scheduledJob.count({ where: { doneAt: null, dueAt: { lte: w.now } } })).toBe(0);
    });

    it("a moved event: everyone signed up is told once, old reminders stay silent, new ones come at the new time", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1 });
      const [a, b] = [await participant(w.db.prisma), await participant(w.db.prisma)];
      await signUp(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(w.db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      const later = new Date(START.getTime() + 48 * HOUR);
      const press = k();
      expect(await updateEvent(w.db.prisma, clock, eventId, { startsAt: later, endsAt: new Date(later.getTime() + 8 * HOUR), place: "Тамбов, ул. Советская, 1" }, w.org, press, settings)).toBe("changed");
      expect(await updateEvent(w.db.prisma, clock, eventId, { startsAt: later, place: "Тамбов, ул. Советская, 1" }, w.org, press, settings)).toBe("changed");
      const changed = await w.db.prisma.outbox.findMany({ where: { method: "event_changed" } });
      expect(changed).toHaveLength(2); // the confirmed and the waiting person, once each
      expect(JSON.parse(changed[0]!.payload).fields).toEqual(["startsAt", "endsAt", "place"]);
      w.now = new Date(START.getTime() - 1 * HOUR); // the old reminders are due
      await runDueJobs(w.db.prisma, clock, settings);
      expect(await reminders()).toHaveLength(0);
      w.now = new Date(later.getTime() - 23 * HOUR);
      await runDueJobs(w.db.prisma, clock, settings);
      w.now = new Date(later.getTime() - 1 * HOUR);
      await runDueJobs(w.db.prisma, clock, settings);
      expect((await reminders()).map((r) => JSON.parse(r.payload).hoursBefore)).toEqual([24, 2]);
    });

    it("a cancelled event: everyone signed up is told, places end, and no reminder follows", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1 });
      const [a, b] = [await participant(w.db.prisma), await participant(w.db.prisma)];
      await signUp(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(w.db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      const press = k();
      expect(await cancelEvent(w.db.prisma, clock, eventId, w.org, press)).toBe("cancelled");
      expect(await cancelEvent(w.db.prisma, clock, eventId, w.org, press)).toBe("not_found");
      expect(await w.db.prisma.outbox.count({ where: { method: "event_cancelled" } })).toBe(2);
      expect(await w.db.prisma.enrolment.count({ where: { eventId, status: "cancelled", endReason: "event_cancelled" } })).toBe(2);
      w.now = new Date(START.getTime() - 1 * HOUR);
      await runDueJobs(w.db.prisma, clock, settings);
      expect(await reminders()).toHaveLength(0);
    });

    it("a runner down for a day: the late 24 h reminder is dropped for the 2 h one; none after the start", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 5 });
      await signUp(w.db.prisma, clock, { eventId, personId: await participant(w.db.prisma), key: k() }, settings);
      w.now = new Date(START.getTime() - 1 * HOUR);
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(2);
      expect((await reminders()).map((r) => JSON.parse(r.payload).hoursBefore)).toEqual([2]);
      const other = await publishedEvent(w.db.prisma, w.org, { capacity: 5 });
      w.now = T0;
      await signUp(w.db.prisma, clock, { eventId: other, personId: await participant(w.db.prisma), key: k() }, settings);
      w.now = new Date(START.getTime() + 1 * HOUR);
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(2);
      expect(await reminders()).toHaveLength(1);
      // Once over, the events are finished (they leave the published lists; figures count them).
      w.now = new Date(START.getTime() + 40 * HOUR);
      expect(await finishEndedEvents(w.db.prisma, clock)).toBe(2);
      expect(await w.db.prisma.event.count({ where: { status: "finished" } })).toBe(2);
    });

    it("only organisers (or administrators) change events", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1 });
      const plain = await w.db.prisma.coordinator.create({ data: { telegramId: 5555n, categories: "payments" } });
      expect(await updateEvent(w.db.prisma, clock, eventId, { capacity: 3 }, { coordinatorId: plain.id }, k(), settings)).toBe("not_allowed");
      expect(await cancelEvent(w.db.prisma, clock, eventId, { coordinatorId: plain.id }, k())).toBe("not_allowed");
      expect(await updateEvent(w.db.prisma, clock, eventId, { capacity: 3 }, { coordinatorId: 0, admin: true }, k(), settings)).toBe("changed");
    });
  });
}
