// Attendance, figures, the catalogue and erasure of events data, on both engines.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { openDatabase, type Db } from "../../src/db/client.js";
import { decideApproval, signUp } from "../../src/services/events/enrolment.js";
import { checkIn, eventDays } from "../../src/services/events/attendance.js";
import { eventFigures, periodFigures, seriesFigures } from "../../src/services/events/figures.js";
import { catalogue } from "../../src/services/events/catalogue.js";
import { createSeries } from "../../src/services/events/organise.js";
import { erasePersonData } from "../../src/services/people/erasure.js";
import type { Organiser } from "../../src/services/events/settings.js";
import { organiser, participant, publishedEvent, seatBook, settings, START, T0 } from "../helpers/events.js";

const DAY1 = "2026-12-10";
const DAY2 = "2026-12-11";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`event attendance and figures (${engine.name})`, () => {
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

    it("a check-in marks once per day; a second scan (or two organisers at once) learns who marked it", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 1 });
      expect(eventDays(await db.prisma.event.findUniqueOrThrow({ where: { id: eventId } }))).toEqual([DAY1, DAY2]);
      const [a, b] = [await participant(db.prisma), await participant(db.prisma)];
      await signUp(db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      now = new Date(START.getTime() + 3_600_000);
      const org2 = await organiser(db.prisma);
      const [x, y] = await Promise.all([checkIn(await connection(), clock, { eventId, personId: a, by: org }), checkIn(await connection(), clock, { eventId, personId: a, by: org2 })]);
      expect([x.result, y.result].sort()).toEqual(["already", "marked"]);
      const again = await checkIn(db.prisma, clock, { eventId, personId: a, by: org2 });
      expect(again).toMatchObject({ result: "already", markedAt: now });
      expect(await checkIn(db.prisma, clock, { eventId, personId: a, day: DAY2, by: org })).toMatchObject({ result: "marked" });
      expect(await checkIn(db.prisma, clock, { eventId, personId: a, day: "2026-12-12", by: org })).toEqual({ result: "wrong_day" });
      expect(await checkIn(db.prisma, clock, { eventId, personId: b, by: org })).toEqual({ result: "not_enrolled" }); // waiting
      expect(await checkIn(db.prisma, clock, { eventId, personId: a, by: { coordinatorId: 424242 } })).toEqual({ result: "not_allowed" });
      expect(await db.prisma.attendance.count()).toBe(2);
    });

    it("figures per event, series and period; erased people still count, their answers go", async () => {
      const series = await createSeries(db.prisma, clock, { code: "school", title: { ru: "Школа" }, completeAfter: 2 });
      const e1 = await publishedEvent(db.prisma, org, { capacity: 3, seriesCode: "school", questions: [{ id: "q", type: "text", label: { ru: "?" } }] });
      const e2 = await publishedEvent(db.prisma, org, { capacity: 3, seriesCode: "school", startsAt: new Date(START.getTime() + 7 * 86_400_000), endsAt: new Date(START.getTime() + 7 * 86_400_000 + 3_600_000) });
      const tam = await participant(db.prisma, { regionCode: "RU-TAM" });
      const mow = await participant(db.prisma, { regionCode: "RU-MOW", role: "family" });
      const minor = await participant(db.prisma, { regionCode: "RU-MOW", birthDate: "2010-01-01" });
      const late = await participant(db.prisma);
      const extra = await participant(db.prisma);
      await signUp(db.prisma, clock, { eventId: e1, personId: tam, answers: { q: "вегетарианец" }, key: k() }, settings);
      await signUp(db.prisma, clock, { eventId: e1, personId: mow, key: k() }, settings);
      const m = await signUp(db.prisma, clock, { eventId: e1, personId: minor, guardian: "Мама", key: k() }, settings);
      await decideApproval(db.prisma, clock, { enrolmentId: (m as { enrolmentId: number }).enrolmentId, approve: true, by: org, key: k() }, settings);
      await signUp(db.prisma, clock, { eventId: e1, personId: late, key: k() }, settings);
      for (const p of [tam, mow, extra]) await signUp(db.prisma, clock, { eventId: e2, personId: p, key: k() }, settings);
      now = new Date(START.getTime() + 3_600_000);
      await checkIn(db.prisma, clock, { eventId: e1, personId: tam, by: org });
      await checkIn(db.prisma, clock, { eventId: e1, personId: tam, day: DAY2, by: org });
      await checkIn(db.prisma, clock, { eventId: e1, personId: minor, by: org });
      expect(await eventFigures(db.prisma, clock, e1)).toMatchObject({ signedUp: 4, confirmed: 3, waiting: 1, approved: 1, attended: 2, noShows: null });
      now = new Date(START.getTime() + 7 * 86_400_000 + 60_000);
      await checkIn(db.prisma, clock, { eventId: e2, personId: tam, by: org });
      await checkIn(db.prisma, clock, { eventId: e2, personId: extra, by: org });
      await erasePersonData(db.prisma, clock, tam, []);
      now = new Date(START.getTime() + 30 * 86_400_000);
      const f = await eventFigures(db.prisma, clock, e1);
      expect(f).toMatchObject({ signedUp: 4, confirmed: 3, waiting: 1, attended: 2, noShows: 1 });
      expect(f!.byRegion).toEqual([{ key: "RU-MOW", confirmed: 2, attended: 1 }, { key: "RU-TAM", confirmed: 1, attended: 1 }]);
      expect(f!.byRole).toEqual([{ key: "family", confirmed: 1, attended: 0 }, { key: "graduate", confirmed: 2, attended: 2 }]);
      expect(await seriesFigures(db.prisma, series.id)).toEqual({ events: 2, participants: 3, completed: 1 });
      expect(await periodFigures(db.prisma, new Date("2026-12-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"))).toEqual({ eventsHeld: 2, participants: 3, attendances: 4 });
      // The erased person's words and keys are gone; the minor's guardian stays (not erased).
      expect(await db.prisma.enrolment.findMany({ where: { personId: tam }, select: { answers: true, guardian: true, sourceKey: true } })).toEqual([
        { answers: null, guardian: null, sourceKey: null }, { answers: null, guardian: null, sourceKey: null },
      ]);
    });

    it("erasure gives up upcoming places: the seat goes to the first in line", async () => {
      const eventId = await publishedEvent(db.prisma, org, { capacity: 1 });
      const [a, b] = [await participant(db.prisma), await participant(db.prisma)];
      await signUp(db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      await erasePersonData(db.prisma, clock, a, []);
      expect(await db.prisma.enrolment.findFirstOrThrow({ where: { personId: a } })).toMatchObject({ status: "cancelled", endReason: "erased" });
      expect(await db.prisma.enrolment.findFirstOrThrow({ where: { personId: b } })).toMatchObject({ status: "offered" });
      expect(await seatBook(db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });

    it("the catalogue lists what the person may join, soonest first, paged, with seats left and their own status", async () => {
      const grad = await participant(db.prisma, { regionCode: "RU-TAM", birthDate: "2004-05-01" });
      const at = (d: number) => ({ startsAt: new Date(START.getTime() + d * 86_400_000), endsAt: new Date(START.getTime() + d * 86_400_000 + 3_600_000) });
      const ok1 = await publishedEvent(db.prisma, org, { ...at(2), capacity: 5, regions: ["RU-MOW", "RU-TAM", "RU-SPE"] });
      const ok2 = await publishedEvent(db.prisma, org, { ...at(1), audience: ["family", "graduate"] });
      const ok3 = await publishedEvent(db.prisma, org, { ...at(3), minAge: 16, maxAge: 23 });
      await publishedEvent(db.prisma, org, { ...at(1), regions: ["RU-MOW"] });
      await publishedEvent(db.prisma, org, { ...at(1), audience: ["family"] });
      await publishedEvent(db.prisma, org, { ...at(1), maxAge: 18 });
      await publishedEvent(db.prisma, org, { startsAt: new Date(T0.getTime() - 86_400_000), endsAt: new Date(T0.getTime() - 3_600_000) });
      await signUp(db.prisma, clock, { eventId: ok1, personId: grad, key: k() }, settings);
      const p0 = await catalogue(db.prisma, clock, grad, 0, 2);
      expect(p0.items.map((i) => i.id)).toEqual([ok2, ok1]);
      expect(p0.items[1]).toMatchObject({ freeSeats: 4, mine: "confirmed" });
      expect(p0.items[0]).toMatchObject({ freeSeats: null, mine: null });
      expect(p0.hasMore).toBe(true);
      const p1 = await catalogue(db.prisma, clock, grad, 1, 2);
      expect(p1).toMatchObject({ hasMore: false });
      expect(p1.items.map((i) => i.id)).toEqual([ok3]);
    });
  });
}
