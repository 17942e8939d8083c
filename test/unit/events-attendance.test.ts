// Attendance, figures, the catalogue and erasure of events data, on both engines.
import { describe, expect, it } from "vitest";
import { ENGINES } from "../helpers/db.js";
import { decideApproval, signUp } from "../../src/services/events/enrolment.js";
import { checkIn, eventDays } from "../../src/services/events/attendance.js";
import { eventFigures, periodFigures, seriesFigures } from "../../src/services/events/figures.js";
import { catalogue } from "../../src/services/events/catalogue.js";
import { createSeries } from "../../src/services/events/organise.js";
import { erasePersonData } from "../../src/services/people/erasure.js";
import { eventsWorld, organiser, participant, publishedEvent, seatBook, settings, START, T0 } from "../helpers/events.js";

const DAY1 = "2026-12-10";
const DAY2 = "2026-12-11";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`event attendance and figures (${engine.name})`, () => {
    const w = eventsWorld(engine);
    const { clock, k, connection } = w;


    it("a check-in marks once per day; a second scan (or two organisers at once) learns who marked it", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1 });
      expect(eventDays(await w.db.prisma.event.findUniqueOrThrow({ where: { id: eventId } }))).toEqual([DAY1, DAY2]);
      const [a, b] = [await participant(w.db.prisma), await participant(w.db.prisma)];
      await signUp(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(w.db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      w.now = new Date(START.getTime() + 3_600_000);
      const org2 = await organiser(w.db.prisma);
      const [x, y] = await Promise.all([checkIn(await connection(), clock, { eventId, personId: a, by: w.org }), checkIn(await connection(), clock, { eventId, personId: a, by: org2 })]);
      expect([x.result, y.result].sort()).toEqual(["already", "marked"]);
      const again = await checkIn(w.db.prisma, clock, { eventId, personId: a, by: org2 });
      expect(again).toMatchObject({ result: "already", markedAt: w.now });
      expect(await checkIn(w.db.prisma, clock, { eventId, personId: a, day: DAY2, by: w.org })).toMatchObject({ result: "marked" });
      expect(await checkIn(w.db.prisma, clock, { eventId, personId: a, day: "2026-12-12", by: w.org })).toEqual({ result: "wrong_day" });
      expect(await checkIn(w.db.prisma, clock, { eventId, personId: b, by: w.org })).toEqual({ result: "not_enrolled" }); // waiting
      expect(await checkIn(w.db.prisma, clock, { eventId, personId: a, by: { coordinatorId: 424242 } })).toEqual({ result: "not_allowed" });
      expect(await w.db.prisma.attendance.count()).toBe(2);
    });

    it("figures per event, series and period; erased people still count, their answers go", async () => {
      const series = await createSeries(w.db.prisma, clock, { code: "school", title: { ru: "Школа" }, completeAfter: 2 });
      const e1 = await publishedEvent(w.db.prisma, w.org, { capacity: 3, seriesCode: "school", questions: [{ id: "q", type: "text", label: { ru: "?" } }] });
      const e2 = await publishedEvent(w.db.prisma, w.org, { capacity: 3, seriesCode: "school", startsAt: new Date(START.getTime() + 7 * 86_400_000), endsAt: new Date(START.getTime() + 7 * 86_400_000 + 3_600_000) });
      const tam = await participant(w.db.prisma, { regionCode: "RU-TAM" });
      const mow = await participant(w.db.prisma, { regionCode: "RU-MOW", role: "family" });
      const minor = await participant(w.db.prisma, { regionCode: "RU-MOW", birthDate: "2010-01-01" });
      const late = await participant(w.db.prisma);
      const extra = await participant(w.db.prisma);
      await signUp(w.db.prisma, clock, { eventId: e1, personId: tam, answers: { q: "вегетарианец" }, key: k() }, settings);
      await signUp(w.db.prisma, clock, { eventId: e1, personId: mow, key: k() }, settings);
      const m = await signUp(w.db.prisma, clock, { eventId: e1, personId: minor, guardian: "Мама", key: k() }, settings);
      await decideApproval(w.db.prisma, clock, { enrolmentId: (m as { enrolmentId: number }).enrolmentId, approve: true, by: w.org, key: k() }, settings);
      await signUp(w.db.prisma, clock, { eventId: e1, personId: late, key: k() }, settings);
      for (const p of [tam, mow, extra]) await signUp(w.db.prisma, clock, { eventId: e2, personId: p, key: k() }, settings);
      w.now = new Date(START.getTime() + 3_600_000);
      await checkIn(w.db.prisma, clock, { eventId: e1, personId: tam, by: w.org });
      await checkIn(w.db.prisma, clock, { eventId: e1, personId: tam, day: DAY2, by: w.org });
      await checkIn(w.db.prisma, clock, { eventId: e1, personId: minor, by: w.org });
      expect(await eventFigures(w.db.prisma, clock, e1)).toMatchObject({ signedUp: 4, confirmed: 3, waiting: 1, approved: 1, attended: 2, noShows: null });
      w.now = new Date(START.getTime() + 7 * 86_400_000 + 60_000);
      await checkIn(w.db.prisma, clock, { eventId: e2, personId: tam, by: w.org });
      await checkIn(w.db.prisma, clock, { eventId: e2, personId: extra, by: w.org });
      await erasePersonData(w.db.prisma, clock, tam, []);
      w.now = new Date(START.getTime() + 30 * 86_400_000);
      const f = await eventFigures(w.db.prisma, clock, e1);
      expect(f).toMatchObject({ signedUp: 4, confirmed: 3, waiting: 1, attended: 2, noShows: 1 });
      expect(f!.byRegion).toEqual([{ key: "RU-MOW", confirmed: 2, attended: 1 }, { key: "RU-TAM", confirmed: 1, attended: 1 }]);
      expect(f!.byRole).toEqual([{ key: "family", confirmed: 1, attended: 0 }, { key: "graduate", confirmed: 2, attended: 2 }]);
      expect(await seriesFigures(w.db.prisma, series.id)).toEqual({ events: 2, participants: 3, completed: 1 });
      expect(await periodFigures(w.db.prisma, new Date("2026-12-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"))).toEqual({ eventsHeld: 2, participants: 3, attendances: 4 });
      // The erased person's words and keys are gone; the minor's guardian stays (not erased).
      expect(await w.db.prisma.enrolment.findMany({ where: { personId: tam }, select: { answers: true, guardian: true, sourceKey: true } })).toEqual([
        { answers: null, guardian: null, sourceKey: null }, { answers: null, guardian: null, sourceKey: null },
      ]);
    });

    it("erasure gives up upcoming places: the seat goes to the first in line", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1 });
      const [a, b] = [await participant(w.db.prisma), await participant(w.db.prisma)];
      await signUp(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      await signUp(w.db.prisma, clock, { eventId, personId: b, key: k() }, settings);
      await erasePersonData(w.db.prisma, clock, a, []);
      expect(await w.db.prisma.enrolment.findFirstOrThrow({ where: { personId: a } })).toMatchObject({ status: "cancelled", endReason: "erased" });
      expect(await w.db.prisma.enrolment.findFirstOrThrow({ where: { personId: b } })).toMatchObject({ status: "offered" });
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });

    it("the catalogue lists what the person may join, soonest first, paged, with seats left and their own status", async () => {
      const grad = await participant(w.db.prisma, { regionCode: "RU-TAM", birthDate: "2004-05-01" });
      const at = (d: number) => ({ startsAt: new Date(START.getTime() + d * 86_400_000), endsAt: new Date(START.getTime() + d * 86_400_000 + 3_600_000) });
      const ok1 = await publishedEvent(w.db.prisma, w.org, { ...at(2), capacity: 5, regions: ["RU-MOW", "RU-TAM", "RU-SPE"] });
      const ok2 = await publishedEvent(w.db.prisma, w.org, { ...at(1), audience: ["family", "graduate"] });
      const ok3 = await publishedEvent(w.db.prisma, w.org, { ...at(3), minAge: 16, maxAge: 23 });
      await publishedEvent(w.db.prisma, w.org, { ...at(1), regions: ["RU-MOW"] });
      await publishedEvent(w.db.prisma, w.org, { ...at(1), audience: ["family"] });
      await publishedEvent(w.db.prisma, w.org, { ...at(1), maxAge: 18 });
      await publishedEvent(w.db.prisma, w.org, { startsAt: new Date(T0.getTime() - 86_400_000), endsAt: new Date(T0.getTime() - 3_600_000) });
      await signUp(w.db.prisma, clock, { eventId: ok1, personId: grad, key: k() }, settings);
      const p0 = await catalogue(w.db.prisma, clock, grad, 0, 2);
      expect(p0.items.map((i) => i.id)).toEqual([ok2, ok1]);
      expect(p0.items[1]).toMatchObject({ freeSeats: 4, mine: "confirmed" });
      expect(p0.items[0]).toMatchObject({ freeSeats: null, mine: null });
      expect(p0.hasMore).toBe(true);
      const p1 = await catalogue(w.db.prisma, clock, grad, 1, 2);
      expect(p1).toMatchObject({ hasMore: false });
      expect(p1.items.map((i) => i.id)).toEqual([ok3]);
    });
  });
}
