// The services behind the organiser's tools, on both engines: the catalogue's age rule (the person's
// age on the event's first day in its zone, as sign-up decides), the attendance import, messages to
// participants (one outbox row each, once per press), the organiser's lists, and editing an event's
// descriptive fields.
import { describe, expect, it } from "vitest";
import { ENGINES } from "../helpers/db.js";
import { catalogue } from "../../src/services/events/catalogue.js";
import { signUp } from "../../src/services/events/enrolment.js";
import { importAttendance } from "../../src/services/events/attendance-import.js";
import { announce, announcementAudience } from "../../src/services/events/announce.js";
import { organisersEvents, signUps } from "../../src/services/events/roster.js";
import { updateEvent } from "../../src/services/events/organise.js";
import { eventsWorld, organiser, participant, publishedEvent, settings, START } from "../helpers/events.js";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`organiser services (${engine.name})`, () => {
    const w = eventsWorld(engine);
    const { clock, k } = w;

    it("the catalogue admits by the age on the event's first day in its zone, as sign-up does, where age today differs", async () => {
      // 17 today (1 December 2026), 18 on 10 December in Moscow; 18 in Moscow but 17 in New York at 01:00 UTC on the 10th.
      const teen = await participant(w.db.prisma, { birthDate: "2008-12-10" });
      const adults = await publishedEvent(w.db.prisma, w.org, { minAge: 18 });
      const nyStart = new Date("2026-12-10T01:00:00Z"); // 9 December, 20:00 in New York
      const inNewYork = await publishedEvent(w.db.prisma, w.org, { minAge: 18, timeZone: "America/New_York", startsAt: nyStart, endsAt: new Date(nyStart.getTime() + 3_600_000) });
      const young = await publishedEvent(w.db.prisma, w.org, { maxAge: 17 });
      const shown = (await catalogue(w.db.prisma, clock, teen, 0, 10)).items.map((i) => i.id);
      expect(shown).toEqual([adults]);
      // And sign-up agrees with each, the one shown taken, the ones left out refused for age.
      for (const [id, outcome] of [[adults, "confirmed"], [inNewYork, "refused"], [young, "refused"]] as const) {
        const r = await signUp(w.db.prisma, clock, { eventId: id, personId: teen, key: k() }, settings);
        expect(r.outcome).toBe(outcome);
        if (r.outcome === "refused") expect(r.reason).toBe("age");
      }
    });

    it("the catalogue pages in the database's order; an event a day from the deciding birthday is checked exactly, none lost or shown twice", async () => {
      const teen = await participant(w.db.prisma, { birthDate: "2008-12-20" }); // 18 only from 20 December
      const open: number[] = [];
      for (let d = 0; d < 12; d++) {
        const startsAt = new Date(START.getTime() + d * 86_400_000);
        const id = await publishedEvent(w.db.prisma, w.org, { startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), minAge: 18 });
        if (d >= 10) open.push(id); // 20 and 21 December
      }
      const filler = await publishedEvent(w.db.prisma, w.org, { startsAt: new Date(START.getTime() + 20 * 86_400_000), endsAt: new Date(START.getTime() + 20 * 86_400_000 + 3_600_000) });
      const seen: number[] = [];
      for (let page = 0; ; page++) {
        const p = await catalogue(w.db.prisma, clock, teen, page, 2);
        seen.push(...p.items.map((i) => i.id));
        if (!p.hasMore) break;
        expect(page).toBeLessThan(3);
      }
      // 19 December (the day before the birthday, read by the database with a day's slack) is refused by the exact rule.
      expect(seen).toEqual([...open, filler]);
    });

    it("imports attendance: marked, already marked, and problems with line numbers; twice marks nothing twice; another organiser is refused", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org);
      const a = await signUp(w.db.prisma, clock, { eventId, personId: await participant(w.db.prisma), key: k() }, settings);
      const b = await signUp(w.db.prisma, clock, { eventId, personId: await participant(w.db.prisma), key: k() }, settings);
      const [ea, eb] = [(a as { enrolmentId: number }).enrolmentId, (b as { enrolmentId: number }).enrolmentId];
      const csv = `Date,Sign-up\r\n2026-12-10,${ea}\r\n\r\n11.12.2026,${ea}\r\n2026-12-10,${ea}\r\n2026-12-10,${eb + 1000}\r\nnot a row\r\n2026-12-09,${eb}\r\n`;
      const first = await importAttendance(w.db.prisma, clock, { eventId, csv, by: w.org });
      expect(first).toEqual({ marked: 2, already: 1, problems: [{ line: 6, problem: "unknown_signup" }, { line: 7, problem: "bad_row" }, { line: 8, problem: "wrong_day" }] });
      expect(await importAttendance(w.db.prisma, clock, { eventId, csv, by: w.org })).toMatchObject({ marked: 0, already: 3 });
      expect(await w.db.prisma.attendance.count()).toBe(2);
      expect(await importAttendance(w.db.prisma, clock, { eventId, csv, by: await organiser(w.db.prisma) })).toBe("not_allowed");
      expect(await importAttendance(w.db.prisma, clock, { eventId, csv: `${ea},2026-12-10\n`.repeat(5002), by: w.org })).toBe("too_long");
    });

    it("a message to participants: one outbox row per recipient with ids only, the waiting list when asked, once per press", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 2 });
      for (let i = 0; i < 3; i++) await signUp(w.db.prisma, clock, { eventId, personId: await participant(w.db.prisma), key: k() }, settings);
      expect([await announcementAudience(w.db.prisma, eventId, false), await announcementAudience(w.db.prisma, eventId, true)]).toEqual([2, 3]);
      const r = await announce(w.db.prisma, clock, { eventId, text: "  Сбор в 9:30  ", waiting: true, by: w.org, key: "c:1:press" });
      expect(r).toMatchObject({ recipients: 3 });
      expect(await announce(w.db.prisma, clock, { eventId, text: "Сбор в 9:30", waiting: true, by: w.org, key: "c:1:press" })).toEqual(r);
      const rows = await w.db.prisma.outbox.findMany({ where: { method: "event_message" } });
      expect(rows).toHaveLength(3);
      expect(rows.every((o) => !o.payload.includes("Сбор"))).toBe(true);
      expect((await w.db.prisma.eventMessage.findFirstOrThrow()).text).toBe("Сбор в 9:30");
      expect(await announce(w.db.prisma, clock, { eventId, text: "x", waiting: false, by: await organiser(w.db.prisma), key: "c:2:press" })).toBe("not_allowed");
      expect(await announce(w.db.prisma, clock, { eventId, text: "x".repeat(3501), waiting: false, by: w.org, key: "c:3:press" })).toBe("too_long");
      expect(await announce(w.db.prisma, clock, { eventId, text: "  ", waiting: false, by: w.org, key: "c:4:press" })).toBe("empty");
    });

    it("an organiser's lists: only their events (and the programme's), sign-ups by list, the waiting list in line order", async () => {
      const mine = await publishedEvent(w.db.prisma, w.org, { capacity: 1 });
      const theirs = await publishedEvent(w.db.prisma, await organiser(w.db.prisma));
      const programme = await publishedEvent(w.db.prisma, { coordinatorId: 0, admin: true });
      expect((await organisersEvents(w.db.prisma, clock, w.org, 0, 10)).items.map((e) => e.id).sort()).toEqual([mine, programme].sort());
      expect((await organisersEvents(w.db.prisma, clock, { coordinatorId: 0, admin: true }, 0, 10)).items.map((e) => e.id)).toContain(theirs);
      const people = [await participant(w.db.prisma), await participant(w.db.prisma), await participant(w.db.prisma)];
      for (const personId of people) await signUp(w.db.prisma, clock, { eventId: mine, personId, key: k() }, settings);
      expect((await signUps(w.db.prisma, mine, "confirmed", 0, 10)).total).toBe(1);
      const line = await signUps(w.db.prisma, mine, "waiting", 0, 1);
      expect(line).toMatchObject({ total: 2, hasMore: true });
      const order = await w.db.prisma.enrolment.findMany({ where: { eventId: mine, status: "waiting" }, orderBy: { queueOrder: "asc" } });
      expect(line.items[0]!.enrolmentId).toBe(order[0]!.id);
    });

    it("editing descriptive fields: title, audience, regions and age limits change; a missing Russian title is refused", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org);
      const r = await updateEvent(w.db.prisma, clock, eventId, { title: { ru: "Новое", en: "New" }, audience: ["graduate"], regions: ["RU-TAM"], minAge: 16, maxAge: null, timeZone: "Asia/Yekaterinburg" }, w.org, k(), settings);
      expect(r).toBe("changed");
      expect(await w.db.prisma.event.findUniqueOrThrow({ where: { id: eventId } })).toMatchObject({ title: JSON.stringify({ ru: "Новое", en: "New" }), audience: "graduate", regions: "RU-TAM", minAge: 16, maxAge: null, timeZone: "Asia/Yekaterinburg" });
      expect(await updateEvent(w.db.prisma, clock, eventId, { title: { ru: " " } }, w.org, k(), settings)).toEqual({ invalid: "title" });
      expect(await updateEvent(w.db.prisma, clock, eventId, { timeZone: "Mars/Base" }, w.org, k(), settings)).toEqual({ invalid: "timeZone" });
      expect(JSON.parse((await w.db.prisma.event.findUniqueOrThrow({ where: { id: eventId } })).title)).toEqual({ ru: "Новое", en: "New" });
    });
  });
}
