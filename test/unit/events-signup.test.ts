// Signing up for events on both engines: the seat decision under 50 simultaneous presses, duplicate
// and re-delivered presses, regional quotas, and the admission rules (age, audience, region, deadline).
import { describe, expect, it } from "vitest";
import { ENGINES } from "../helpers/db.js";
import { signUp, cancelEnrolment, decideApproval } from "../../src/services/events/enrolment.js";
import { waitingPosition } from "../../src/services/events/waiting-list.js";
import { eventsWorld, organiser, participant, publishedEvent, seatBook, settings, START, T0 } from "../helpers/events.js";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`event sign-up (${engine.name})`, () => {
    const w = eventsWorld(engine);
    const { clock, k, connection } = w;


    it("50 people press Sign up for the last 10 seats at once: 10 confirmed, 40 waiting in press order, never oversold", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 12 });
      for (let i = 0; i < 2; i++) await signUp(w.db.prisma, clock, { eventId, personId: await participant(w.db.prisma), key: k() }, settings);
      const people: number[] = [];
      for (let i = 0; i < 50; i++) people.push(await participant(w.db.prisma));
      const results = await Promise.all(people.map((personId) => signUp(w.db.prisma, clock, { eventId, personId, key: k() }, settings)));
      expect(results.filter((r) => r.outcome === "confirmed")).toHaveLength(10);
      const waiting = results.filter((r) => r.outcome === "waiting");
      expect(waiting).toHaveLength(40);
      // Positions 1..40, each once, in the order the database queued them.
      expect(waiting.map((r) => (r as { position: number }).position).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const line = await w.db.prisma.enrolment.findMany({ where: { eventId, status: "waiting" }, orderBy: { queueOrder: "asc" } });
      for (const [i, e] of line.entries()) expect(await waitingPosition(w.db.prisma, e.id)).toBe(i + 1);
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 12, counted: 12, held: 12 });
      if (engine.name === "sqlite") {
        // One connection takes the presses in turn: the first ten to press get the seats.
        expect(results.slice(0, 10).every((r) => r.outcome === "confirmed")).toBe(true);
        expect(line.map((l) => l.personId)).toEqual(people.slice(10));
      }
    });

    it("50 presses from five processes at once: capacity holds, every counter agrees", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 10 });
      const clients = await Promise.all([1, 2, 3, 4, 5].map(() => connection()));
      const people: number[] = [];
      for (let i = 0; i < 50; i++) people.push(await participant(w.db.prisma));
      const results = await Promise.all(people.map((personId, i) => signUp(clients[i % 5]!, clock, { eventId, personId, key: k() }, settings)));
      expect(results.filter((r) => r.outcome === "confirmed")).toHaveLength(10);
      expect(results.filter((r) => r.outcome === "waiting")).toHaveLength(40);
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 10, counted: 10, held: 10 });
      const orders = (await w.db.prisma.enrolment.findMany({ where: { eventId, status: "waiting" } })).map((e) => e.queueOrder);
      expect(new Set(orders).size).toBe(40);
    });

    it("a re-delivered update and a double press make one enrolment", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 5 });
      const personId = await participant(w.db.prisma);
      const first = await signUp(w.db.prisma, clock, { eventId, personId, key: "cb:77" }, settings);
      expect(first.outcome).toBe("confirmed");
      expect(await signUp(w.db.prisma, clock, { eventId, personId, key: "cb:77" }, settings)).toEqual(first);
      expect(await signUp(w.db.prisma, clock, { eventId, personId, key: "cb:78" }, settings)).toMatchObject({ outcome: "refused", reason: "duplicate", status: "confirmed" });
      // Two presses at the same moment from two processes.
      const other = await participant(w.db.prisma);
      const [a, b] = await Promise.all([signUp(await connection(), clock, { eventId, personId: other, key: "cb:90" }, settings), signUp(await connection(), clock, { eventId, personId: other, key: "cb:91" }, settings)]);
      expect([a.outcome, b.outcome].sort()).toEqual(["confirmed", "refused"]);
      expect(await w.db.prisma.enrolment.count({ where: { eventId } })).toBe(2);
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 5, counted: 2, held: 2 });
      expect(await w.db.prisma.outbox.count({ where: { method: "event_confirmed" } })).toBe(2);
    });

    it("regional quotas hold under simultaneous presses; regions without a quota share the rest (3 seats)", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 10, quotas: { "RU-TAM": 3, "RU-MOW": 4 } });
      const tam: number[] = [];
      for (let i = 0; i < 8; i++) tam.push(await participant(w.db.prisma, { regionCode: "RU-TAM" }));
      const mow: number[] = [];
      for (let i = 0; i < 8; i++) mow.push(await participant(w.db.prisma, { regionCode: "RU-MOW" }));
      const spb: number[] = [];
      for (let i = 0; i < 8; i++) spb.push(await participant(w.db.prisma, { regionCode: "RU-SPE" }));
      const c = [await connection(), await connection()];
      const all = [...tam, ...mow, ...spb];
      const results = await Promise.all(all.map((personId, i) => signUp(c[i % 2]!, clock, { eventId, personId, key: k() }, settings)));
      const confirmedOf = (ids: number[]) => ids.filter((id) => results[all.indexOf(id)]!.outcome === "confirmed").length;
      expect(confirmedOf(tam)).toBe(3);
      expect(confirmedOf(mow)).toBe(4);
      expect(confirmedOf(spb)).toBe(3);
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 10, counted: 10, held: 10 });
      expect(await w.db.prisma.eventQuota.findMany({ where: { eventId }, orderBy: { regionCode: "asc" }, select: { regionCode: true, taken: true } })).toEqual([{ regionCode: "*", taken: 3 }, { regionCode: "RU-MOW", taken: 4 }, { regionCode: "RU-TAM", taken: 3 }]);
    });

    it("a family takes a seat per member; a party over the event's limit is refused", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 4, maxAdults: 2, maxChildren: 3 });
      const mum = await participant(w.db.prisma, { role: "family", birthDate: null });
      expect(await signUp(w.db.prisma, clock, { eventId, personId: mum, party: { adults: 1, children: 4 }, key: k() }, settings)).toMatchObject({ outcome: "refused", reason: "party" });
      expect(await signUp(w.db.prisma, clock, { eventId, personId: mum, party: { adults: 1, children: 2 }, key: k() }, settings)).toMatchObject({ outcome: "confirmed" });
      const other = await participant(w.db.prisma, { role: "family", birthDate: null });
      expect(await signUp(w.db.prisma, clock, { eventId, personId: other, party: { adults: 2, children: 0 }, key: k() }, settings)).toMatchObject({ outcome: "waiting", position: 1 });
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 4, counted: 3, held: 3 });
    });

    it("age, audience, region, deadline and status rules", async () => {
      const adultsOnly = await publishedEvent(w.db.prisma, w.org, { minAge: 18, maxAge: 23, audience: ["graduate"], regions: ["RU-TAM", "RU-MOW"], signUpUntil: new Date(START.getTime() - 86_400_000) });
      const grad = await participant(w.db.prisma, { birthDate: "2004-05-01" });
      const young = await participant(w.db.prisma, { birthDate: "2010-01-01" });
      const old = await participant(w.db.prisma, { birthDate: "1990-01-01" });
      const fam = await participant(w.db.prisma, { role: "family" });
      const far = await participant(w.db.prisma, { regionCode: "RU-SPE" });
      const noBirth = await participant(w.db.prisma, { birthDate: null });
      const reason = async (personId: number, eventId = adultsOnly) => {
        const r = await signUp(w.db.prisma, clock, { eventId, personId, key: k() }, settings);
        return r.outcome === "refused" ? r.reason : r.outcome;
      };
      expect(await reason(young)).toBe("age");
      expect(await reason(old)).toBe("age");
      expect(await reason(noBirth)).toBe("age");
      expect(await reason(fam)).toBe("audience");
      expect(await reason(far)).toBe("region");
      const unregistered = (await w.db.prisma.person.create({ data: { telegramId: 123n } })).id;
      expect(await reason(unregistered)).toBe("not_registered");
      w.now = new Date(START.getTime() - 3_600_000);
      expect(await reason(grad)).toBe("deadline");
      w.now = T0;
      expect(await reason(grad)).toBe("confirmed");
      const draft = await w.db.prisma.event.create({ data: { code: "draft1", kind: "seminar", title: "{}", timeZone: "Europe/Moscow", startsAt: START, endsAt: START, createdAt: T0, updatedAt: T0 } });
      expect(await reason(grad, draft.id)).toBe("closed");
      // Age is counted on the event's first day in its zone: 18 on that day is an adult.
      const birthday = await participant(w.db.prisma, { birthDate: "2008-12-10" });
      expect(await reason(birthday)).toBe("confirmed");
    });

    it("a person under 18 needs a guardian's contact and an organiser's approval; a rejection frees the seat for the next", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1, questions: [{ id: "diet", type: "choice", options: ["none", "vegetarian"], required: true, label: { ru: "Питание" } }] });
      const minor = await participant(w.db.prisma, { birthDate: "2010-03-03" });
      expect(await signUp(w.db.prisma, clock, { eventId, personId: minor, answers: { diet: "none" }, key: k() }, settings)).toMatchObject({ outcome: "refused", reason: "guardian_required" });
      expect(await signUp(w.db.prisma, clock, { eventId, personId: minor, answers: { diet: "meat" }, guardian: "Мама, +79001112233", key: k() }, settings)).toMatchObject({ outcome: "refused", reason: "answers" });
      const r = await signUp(w.db.prisma, clock, { eventId, personId: minor, answers: { diet: "none" }, guardian: "Мама, +79001112233", key: k() }, settings);
      expect(r.outcome).toBe("pending_approval");
      expect(await w.db.prisma.outbox.count({ where: { method: "event_approval_needed" } })).toBe(1);
      const next = await participant(w.db.prisma);
      expect(await signUp(w.db.prisma, clock, { eventId, personId: next, answers: { diet: "vegetarian" }, key: k() }, settings)).toMatchObject({ outcome: "waiting", position: 1 });
      const enrolmentId = (r as { enrolmentId: number }).enrolmentId;
      expect(await decideApproval(w.db.prisma, clock, { enrolmentId, approve: false, by: w.org, key: k() }, settings)).toBe("rejected");
      expect(await decideApproval(w.db.prisma, clock, { enrolmentId, approve: true, by: w.org, key: k() }, settings)).toBe("not_pending");
      expect(await w.db.prisma.enrolment.findFirstOrThrow({ where: { personId: next } })).toMatchObject({ status: "offered" });
      expect(await signUp(w.db.prisma, clock, { eventId, personId: minor, answers: { diet: "none" }, guardian: "x", key: k() }, settings)).toMatchObject({ outcome: "refused", reason: "rejected" });
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 1, counted: 1, held: 1 });
    });

    it("a cancelled person can sign up again; cancelling after the start is refused", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 3 });
      const p = await participant(w.db.prisma);
      await signUp(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings);
      expect(await cancelEnrolment(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings)).toBe("cancelled");
      expect(await cancelEnrolment(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings)).toBe("not_enrolled");
      expect(await signUp(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings)).toMatchObject({ outcome: "confirmed" });
      w.now = new Date(START.getTime() + 60_000);
      expect(await cancelEnrolment(w.db.prisma, clock, { eventId, personId: p, key: k() }, settings)).toBe("too_late");
      expect(await seatBook(w.db.prisma, eventId)).toEqual({ capacity: 3, counted: 1, held: 1 });
    });

    it("an event without a waiting list refuses when full, leaving nothing behind", async () => {
      const eventId = await publishedEvent(w.db.prisma, w.org, { capacity: 1, waitingList: false });
      await signUp(w.db.prisma, clock, { eventId, personId: await participant(w.db.prisma), key: k() }, settings);
      const late = await participant(w.db.prisma);
      expect(await signUp(w.db.prisma, clock, { eventId, personId: late, key: k() }, settings)).toEqual({ outcome: "refused", reason: "full" });
      expect(await w.db.prisma.enrolment.count({ where: { personId: late } })).toBe(0);
    });
  });
}
