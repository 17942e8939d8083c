// The waiting list on both engines: freed seats offered to the first in line, accept / decline /
// expiry, and the races between them (one side held at its first enrolment write while the other
// runs), capacity raised, and the rule that the seats held never exceed capacity.
import { describe, expect, it } from "vitest";
import { ENGINES } from "../helpers/db.js";
import { cancelEnrolment, signUp } from "../../src/services/events/enrolment.js";
import { acceptOffer, declineOffer, waitingPosition } from "../../src/services/events/waiting-list.js";
import { updateEvent } from "../../src/services/events/organise.js";
import { runDueJobs } from "../../src/services/events/runner.js";
import { eventsWorld, participant, publishedEvent, seatBook, settings, START, T0 } from "../helpers/events.js";
import { heldAtFirstWrite } from "../helpers/hold.js";

/** A client whose first enrolment write waits until released; `arrived` resolves when it waits. */

const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`event waiting list (${engine.name})`, () => {
    const w = eventsWorld(engine);
    const { clock, k, connection } = w;
    const enrolmentOf = (eventId: number, personId: number) => w.db.prisma.enrolment.findUniqueOrThrow({ where: { eventId_personId: { eventId, personId } } });
    /** An event of one seat held by A, with B and C waiting in that order. */
    const fullWithLine = async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1 });
      const [a, b, c] = [await participant(w.db.prisma), await participant(w.db.prisma), await participant(w.db.prisma)];
      for (const p of [a, b, c]) await signUp(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings);
      return { eventId, a, b, c };
    };


    it("a cancellation offers the seat to the first in line, with a deadline and an outbox notice; accept confirms", async () => {
      const { eventId, a, b, c } = await fullWithLine();
      expect(await waitingPosition(w.db.prisma, (await enrolmentOf(eventId, c)).id)).toBe(2);
      expect(await cancelEnrolment(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings)).toBe("cancelled");
      const offered = await enrolmentOf(eventId, b);
      expect(offered).toMatchObject({ status: "offered", offerUntil: new Date(T0.getTime() + 24 * HOUR), offerRound: 1 });
      expect(await waitingPosition(w.db.prisma, (await enrolmentOf(eventId, c)).id)).toBe(1);
      const notice = await w.db.prisma.outbox.findFirstOrThrow({ where: { method: "event_offer" } });
      expect(JSON.parse(notice.payload)).toEqual({ kind: "event_offer", eventId, enrolmentId: offered.id, until: offered.offerUntil!.toISOString() });
      expect(await w.db.prisma.scheduledJob.count({ where: { kind: "offer_expiry" } })).toBe(1);
      expect(await acceptOffer(w.db.prisma, clock, { enrolmentId: offered.id, personId: b, key: k() }, settings)).toBe("confirmed");
      expect(await acceptOffer(w.db.prisma, clock, { enrolmentId: offered.id, personId: b, key: k() }, settings)).toBe("confirmed");
      expect(await w.db.prisma.outbox.count({ where: { method: "event_confirmed", chatId: (await w.db.prisma.person.findUniqueOrThrow({ where: { id: b } })).telegramId } })).toBe(1);
      // The expiry job, when due, finds the offer accepted and does nothing.
      w.now = new Date(T0.getTime() + 25 * HOUR);
      await runDueJobs(w.db.prisma, clock, settings);
      expect((await enrolmentOf(eventId, b)).status).toBe("confirmed");
      expect((await enrolmentOf(eventId, c)).status).toBe("waiting");
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });

    it("an offer left unanswered expires by its due job and passes to the next; a decline does the same", async () => {
      const { eventId, a, b, c } = await fullWithLine();
      const d = await participant(w.db.prisma);
      await signUp(w.db.prisma, clock, { eventId, personId: d, key: k() }, settings);
      await cancelEnrolment(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      w.now = new Date(T0.getTime() + 24 * HOUR + 1000);
      expect(await acceptOffer(w.db.prisma, clock, { enrolmentId: (await enrolmentOf(eventId, b)).id, personId: b, key: k() }, settings)).toBe("expired");
      expect(await runDueJobs(w.db.prisma, clock, settings)).toBe(1);
      expect(await enrolmentOf(eventId, b)).toMatchObject({ status: "cancelled", endReason: "offer_expired" });
      expect(await w.db.prisma.outbox.count({ where: { method: "event_offer_expired" } })).toBe(1);
      const cOffer = await enrolmentOf(eventId, c);
      expect(cOffer.status).toBe("offered");
      expect(await declineOffer(w.db.prisma, clock, { enrolmentId: cOffer.id, personId: c, key: k() }, settings)).toBe(true);
      expect(await declineOffer(w.db.prisma, clock, { enrolmentId: cOffer.id, personId: c, key: k() }, settings)).toBe(false);
      expect((await enrolmentOf(eventId, d)).status).toBe("offered");
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });

    it("accept held while the expiry runs: the offer expires once, the accept learns it, the seat goes on", async () => {
      const { eventId, a, b, c } = await fullWithLine();
      await cancelEnrolment(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      const offer = await enrolmentOf(eventId, b);
      const held = heldAtFirstWrite(await connection(), "enrolment");
      const beforeDeadline = new Date(offer.offerUntil!.getTime() - 1000);
      const accept = acceptOffer(held.db, () => beforeDeadline, { enrolmentId: offer.id, personId: b, key: k() }, settings);
      await held.arrived;
      w.now = new Date(offer.offerUntil!.getTime() + 1000);
      expect(await runDueJobs(await connection(), clock, settings)).toBe(1);
      held.release();
      expect(await accept).toBe("expired");
      expect((await enrolmentOf(eventId, b)).status).toBe("cancelled");
      expect((await enrolmentOf(eventId, c)).status).toBe("offered");
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });

    it("the expiry held while the person accepts: accepted, and the expiry does nothing", async () => {
      const { eventId, a, b, c } = await fullWithLine();
      await cancelEnrolment(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      const offer = await enrolmentOf(eventId, b);
      const held = heldAtFirstWrite(await connection(), "enrolment");
      const late = new Date(offer.offerUntil!.getTime() + 1000);
      const expiry = runDueJobs(held.db, () => late, settings);
      await held.arrived;
      expect(await acceptOffer(await connection(), clock, { enrolmentId: offer.id, personId: b, key: k() }, settings)).toBe("confirmed");
      held.release();
      await expiry;
      expect((await enrolmentOf(eventId, b)).status).toBe("confirmed");
      expect((await enrolmentOf(eventId, c)).status).toBe("waiting");
      expect(await w.db.prisma.outbox.count({ where: { method: "event_offer_expired" } })).toBe(0);
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });

    it("the person cancels while their own accept is held: one of the two happens", async () => {
      const { eventId, a, b } = await fullWithLine();
      await cancelEnrolment(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      const offer = await enrolmentOf(eventId, b);
      const held = heldAtFirstWrite(await connection(), "enrolment");
      const accept = acceptOffer(held.db, clock, { enrolmentId: offer.id, personId: b, key: k() }, settings);
      await held.arrived;
      expect(await cancelEnrolment(await connection(), clock, { eventId, personId: b, key: k() }, settings)).toBe("cancelled");
      held.release();
      expect(await accept).toBe("not_offered");
      expect((await enrolmentOf(eventId, b)).status).toBe("cancelled");
      const book = await seatBook(w.db.prisma, eventId);
      expect(book.counted).toBe(book.held);
      expect(book.held).toBeLessThanOrEqual(1);
    });

    it("another participant cancels while an accept is held: both happen, never more than capacity", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 2 });
      const [a, d, b, c] = [await participant(w.db.prisma), await participant(w.db.prisma), await participant(w.db.prisma), await participant(w.db.prisma)];
      for (const p of [a, d, b, c]) await signUp(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings);
      await cancelEnrolment(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      const offer = await enrolmentOf(eventId, b);
      const held = heldAtFirstWrite(await connection(), "enrolment");
      const accept = acceptOffer(held.db, clock, { enrolmentId: offer.id, personId: b, key: k() }, settings);
      await held.arrived;
      expect(await cancelEnrolment(await connection(), clock, { eventId, personId: d, key: k() }, settings)).toBe("cancelled");
      held.release();
      expect(await accept).toBe("confirmed");
      expect((await enrolmentOf(eventId, c)).status).toBe("offered");
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 2, counted: 2, held: 2 });
    });

    it("capacity raised: offers go out to as many in line as there are new seats; it cannot drop below the seats held", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 2 });
      const people: number[] = [];
      for (let i = 0; i < 6; i++) people.push(await participant(w.db.prisma));
      for (const p of people) await signUp(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings);
      expect(await updateEvent(w.db.prisma, clock, eventId, { capacity: 1 }, w.org, k(), settings)).toBe("below_taken");
      expect(await updateEvent(w.db.prisma, clock, eventId, { capacity: 5 }, w.org, k(), settings)).toBe("changed");
      const statuses = await Promise.all(people.map(async (p) => (await enrolmentOf(eventId, p)).status));
      expect(statuses).toEqual(["confirmed", "confirmed", "offered", "offered", "offered", "waiting"]);
      expect(await w.db.prisma.outbox.count({ where: { method: "event_offer" } })).toBe(3);
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 5, counted: 5, held: 5 });
    });

    it("no offers in the last day before the start: a freed seat stays free for whoever signs up", async () => {
      const { eventId, a, b } = await fullWithLine();
      w.now = new Date(START.getTime() - 20 * HOUR);
      await cancelEnrolment(w.db.prisma, clock, { eventId, personId: a, key: k() }, settings);
      expect((await enrolmentOf(eventId, b)).status).toBe("waiting");
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 0, held: 0 });
      // An offer made earlier ends by the cutoff, not 24 h later.
      w.now = new Date(START.getTime() - 30 * HOUR);
      const other = await fullWithLine();
      await cancelEnrolment(w.db.prisma, clock, { eventId: other.eventId, personId: other.a, key: k() }, settings);
      expect((await enrolmentOf(other.eventId, other.b)).offerUntil).toEqual(new Date(START.getTime() - 24 * HOUR));
    });

    it("a person can leave the waiting list; those behind move up", async () => {
      const { eventId, b, c } = await fullWithLine();
      expect(await cancelEnrolment(w.db.prisma, clock, { eventId, personId: b, key: k() }, settings)).toBe("cancelled");
      expect(await waitingPosition(w.db.prisma, (await enrolmentOf(eventId, c)).id)).toBe(1);
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });
  });
}
