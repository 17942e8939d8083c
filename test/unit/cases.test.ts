// The case lifecycle and its races, on both engines.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { askColleague, changeStatus, closeInactive, declineCase, escalateLapsed, rateCase, takeCase, type CaseSettings } from "../../src/services/cases/lifecycle.js";
import { createCase, type NewCase } from "../../src/services/cases/intake.js";
import { addCoordinator, removeCoordinator, createInvite, acceptInvite } from "../../src/services/cases/coordinators.js";
import { addCoordinatorMessage, addRequesterMessage } from "../../src/services/cases/messages.js";
import { caseForViewer, coordinatorByTelegram, queueOf } from "../../src/services/cases/queries.js";
import { claimNext, markFailed, markSent } from "../../src/services/delivery/outbox.js";
import { setLocale } from "../../src/services/people/people.js";

const settings: CaseSettings = { ackSeconds: { normal: 1800, urgent: 600 }, adminTelegramIds: [9000] };

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`cases (${engine.name})`, () => {
    let db: TestDb;
    let now: Date;
    const clock = () => now;
    let requesterId: number;
    let update = 1;
    const newCase = (over: Partial<NewCase> = {}): NewCase => ({
      requesterId, category: "payments", urgency: "normal", regionCode: "RU-TAM", description: "Не пришла выплата", attachments: [], sourceKey: `c:5000:${update++}`, ...over,
    });
    const coord = (telegramId: number, over: Partial<Parameters<typeof addCoordinator>[1]> = {}) =>
      addCoordinator(db.prisma, { telegramId, regions: ["RU-TAM"], categories: ["payments"], ...over });
    const outbox = async () => (await db.prisma.outbox.findMany({ orderBy: { id: "asc" } })).map((o) => ({ chat: Number(o.chatId), ...JSON.parse(o.payload) }));

    beforeEach(async () => {
      db = await engine.create();
      now = new Date("2026-11-22T10:00:00Z");
      await setLocale(db.prisma, clock, 5000, "ru");
      requesterId = (await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 5000n } })).id;
    });
    afterEach(async () => db.dispose());

    it("stores a case with a short number, pings the chosen coordinator through the outbox, once per update", async () => {
      const a = await coord(101);
      const { case: c, created } = await createCase(db.prisma, clock, newCase({ sourceKey: "c:5000:77" }), settings);
      expect(created).toBe(true);
      expect(c.number).toMatch(/^A-\d{4,}$/);
      expect(c).toMatchObject({ status: "assigned", coordinatorId: a.id });
      // What the database holds, read back through Prisma (the intake writes it in raw SQL).
      const stored = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id }, include: { events: true, messages: true } });
      expect(stored).toMatchObject({
        number: c.number, status: "assigned", coordinatorId: a.id, regionCode: "RU-TAM", category: "payments", urgency: "normal",
        passedBy: "", sourceKey: "c:5000:77", createdAt: now, lastActivityAt: now, offeredAt: now, firstResponseAt: null,
      });
      expect(stored.events.map((e) => [e.actor, e.type, e.detail, e.at])).toEqual([["requester", "created", "payments/normal", now], ["system", "assigned", String(a.id), now]]);
      expect(stored.messages.map((m) => [m.author, m.kind, m.text, m.fileId])).toEqual([["requester", "text", stored.description, null]]);
      expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: a.id } })).lastAssignedAt).toEqual(now);
      expect(await outbox()).toEqual([{ chat: 101, kind: "ping", caseId: c.id, coordinatorId: a.id }]);
      const again = await createCase(db.prisma, clock, newCase({ sourceKey: "c:5000:77" }), settings);
      expect(again).toMatchObject({ created: false, case: { id: c.id } });
      const both = await Promise.all([createCase(db.prisma, clock, newCase({ sourceKey: "c:5000:78" }), settings), createCase(db.prisma, clock, newCase({ sourceKey: "c:5000:78" }), settings)]);
      expect(both[0].case.id).toBe(both[1].case.id);
      expect(await db.prisma.case.count()).toBe(2);
      expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: a.id } })).openCases).toBe(2);
    });

    it("two Takes at the same moment: exactly one owns the case, the other is told", async () => {
      const a = await coord(101);
      const b = await coord(102);
      const { case: c } = await createCase(db.prisma, clock, newCase(), settings);
      const colleague = await askColleague(db.prisma, clock, c.id, c.coordinatorId!);
      expect(colleague).toBe(c.coordinatorId === a.id ? b.id : a.id);
      const results = await Promise.all([takeCase(db.prisma, clock, c.id, a.id), takeCase(db.prisma, clock, c.id, b.id)]);
      expect(results.sort()).toEqual(["already_taken", "taken"]);
      const after = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
      expect(after.status).toBe("in_progress");
      const counts = await db.prisma.coordinator.findMany({ orderBy: { id: "asc" }, select: { id: true, openCases: true } });
      expect(counts.find((x) => x.id === after.coordinatorId)!.openCases).toBe(1);
      expect(counts.reduce((s, x) => s + x.openCases, 0)).toBe(1);
    });

    it("refuses a Take by someone who was not asked (a forged button), and changes nothing", async () => {
      await coord(101);
      const stranger = await coord(103, { regions: ["RU-LIP"] });
      const { case: c } = await createCase(db.prisma, clock, newCase(), settings);
      expect(await takeCase(db.prisma, clock, c.id, stranger.id)).toBe("not_allowed");
      expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("assigned");
      expect(await takeCase(db.prisma, clock, 99999, stranger.id)).toBe("not_found");
    });

    it("a decline or a lapsed ping moves the case on; supervisors are told of lapses; nobody left → admins told", async () => {
      const a = await coord(101);
      const b = await coord(102, { maxOpen: 3 });
      const sup = await coord(110, { supervisor: true, categories: [] });
      const { case: c } = await createCase(db.prisma, clock, newCase({ urgency: "urgent" }), settings);
      const first = c.coordinatorId!;
      expect(first).toBe(a.id); // same load, never assigned: lowest id
      expect(await declineCase(db.prisma, clock, c.id, b.id, "busy", settings)).toBe(false); // not theirs to decline
      expect(await declineCase(db.prisma, clock, c.id, a.id, "busy", settings)).toBe(true);
      expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).coordinatorId).toBe(b.id);
      now = new Date(now.getTime() + 9 * 60_000);
      expect(await escalateLapsed(db.prisma, clock, settings)).toBe(0); // urgent: 10 minutes
      now = new Date(now.getTime() + 2 * 60_000);
      expect(await escalateLapsed(db.prisma, clock, settings)).toBe(1);
      const moved = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
      expect(moved.coordinatorId).toBe(sup.id);
      const kinds = (await outbox()).map((o) => `${o.kind}:${o.chat}`);
      expect(kinds).toEqual(["ping:101", "ping:102", "lapsed:110", "ping:110"]);
      now = new Date(now.getTime() + 11 * 60_000);
      await escalateLapsed(db.prisma, clock, settings);
      const stuck = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
      expect(stuck).toMatchObject({ status: "new", coordinatorId: null });
      expect((await outbox()).filter((o) => o.kind === "unassigned").map((o) => o.chat).sort()).toEqual([110, 9000]);
      const all = await db.prisma.coordinator.findMany();
      expect(all.every((x) => x.openCases === 0)).toBe(true);
      const timeline = (await db.prisma.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } })).map((e) => e.type);
      expect(timeline).toEqual(["created", "assigned", "declined", "assigned", "lapsed", "assigned", "lapsed", "unassigned"]);
    });

    it("lifecycle: take, talk both ways with figures, waiting, resolve, rate once; inactivity closes", async () => {
      const a = await coord(101);
      const { case: c } = await createCase(db.prisma, clock, newCase(), settings);
      expect(await addRequesterMessage(db.prisma, clock, c.id, requesterId, { text: "ещё", kind: "text", chatId: 5000, messageId: 1, key: "m:5000:1" })).toBe("queued");
      await takeCase(db.prisma, clock, c.id, a.id);
      now = new Date(now.getTime() + 7 * 60_000);
      expect(await addCoordinatorMessage(db.prisma, clock, c.id, a.id, { text: "Здравствуйте", kind: "text", chatId: 101, messageId: 2, key: "m:101:2" }, false)).toBe("relayed");
      expect(await addCoordinatorMessage(db.prisma, clock, c.id, a.id, { text: "проверить справку", kind: "text", chatId: 101, messageId: 3, key: "m:101:3" }, true)).toBe("noted");
      expect(await addRequesterMessage(db.prisma, clock, c.id, requesterId, { text: "спасибо", kind: "text", chatId: 5000, messageId: 4, key: "m:5000:4" })).toBe("relayed");
      const other = await coord(102);
      expect(await addCoordinatorMessage(db.prisma, clock, c.id, other.id, { text: "x", kind: "text", chatId: 102, messageId: 5, key: "m:102:5" }, false)).toBe("not_allowed");
      expect(await addRequesterMessage(db.prisma, clock, c.id, requesterId + 1, { text: "x", kind: "text", chatId: 1, messageId: 6, key: "m:1:6" })).toBe("closed");
      expect(await changeStatus(db.prisma, clock, c.id, "waiting", "coordinator:1")).toBe(true);
      expect(await changeStatus(db.prisma, clock, c.id, "closed", "coordinator:1")).toBe(false); // not from waiting
      now = new Date(now.getTime() + 60 * 60_000);
      expect(await changeStatus(db.prisma, clock, c.id, "resolved", "coordinator:1")).toBe(true);
      expect(await rateCase(db.prisma, clock, c.id, requesterId + 1, 5)).toBe(false);
      expect(await rateCase(db.prisma, clock, c.id, requesterId, 9)).toBe(false);
      expect(await rateCase(db.prisma, clock, c.id, requesterId, 5)).toBe(true);
      expect(await rateCase(db.prisma, clock, c.id, requesterId, 4)).toBe(false);
      const done = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
      expect(done).toMatchObject({ status: "closed", rating: 5 });
      expect((done.firstResponseAt!.getTime() - done.createdAt.getTime()) / 60_000).toBe(7);
      expect((done.resolvedAt!.getTime() - done.createdAt.getTime()) / 60_000).toBe(67);
      expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: a.id } })).openCases).toBe(0);
      const relays = (await outbox()).filter((o) => o.kind === "relay").map((o) => `${o.to}:${o.chat}`);
      // "ещё", written before the Take, reaches the coordinator on taking it; then one relay each way.
      expect(relays).toEqual(["coordinator:101", "requester:5000", "coordinator:101"]);

      const { case: d } = await createCase(db.prisma, clock, newCase(), settings);
      expect(await takeCase(db.prisma, clock, d.id, d.coordinatorId!)).toBe("taken");
      await changeStatus(db.prisma, clock, d.id, "waiting", "coordinator:1");
      now = new Date(now.getTime() + 13 * 86_400_000);
      expect(await closeInactive(db.prisma, clock, 14)).toBe(0);
      now = new Date(now.getTime() + 2 * 86_400_000);
      expect(await closeInactive(db.prisma, clock, 14)).toBe(1);
      expect((await db.prisma.case.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("closed");
      expect((await outbox()).at(-1)).toMatchObject({ kind: "status", status: "closed_inactive", chat: 5000 });
    });

    it("access: the requester, the coordinator and supervisors of the region see a case; others do not", async () => {
      const a = await coord(101);
      const other = await coord(102, { regions: ["RU-LIP"] });
      const supHere = await coord(110, { supervisor: true, categories: [] });
      const supThere = await coord(111, { supervisor: true, categories: [], regions: ["RU-LIP"] });
      const { case: c } = await createCase(db.prisma, clock, newCase(), settings);
      expect(await caseForViewer(db.prisma, c.number, { personId: requesterId })).not.toBeNull();
      expect(await caseForViewer(db.prisma, `#${c.number.toLowerCase()}`, { coordinator: a })).not.toBeNull();
      expect(await caseForViewer(db.prisma, c.number, { coordinator: supHere })).not.toBeNull();
      expect(await caseForViewer(db.prisma, c.number, { coordinator: other })).toBeNull();
      expect(await caseForViewer(db.prisma, c.number, { coordinator: supThere })).toBeNull();
      expect(await caseForViewer(db.prisma, c.number, { personId: requesterId + 99 })).toBeNull();
      expect(await caseForViewer(db.prisma, c.number, { admin: true })).not.toBeNull();
    });

    it("a removed coordinator's open cases are reassigned; the queue puts urgent first", async () => {
      const a = await coord(101);
      const { case: c1 } = await createCase(db.prisma, clock, newCase(), settings);
      now = new Date(now.getTime() + 1000);
      const { case: c2 } = await createCase(db.prisma, clock, newCase({ urgency: "urgent" }), settings);
      await takeCase(db.prisma, clock, c1.id, a.id);
      expect((await queueOf(db.prisma, a.id)).map((c) => c.id)).toEqual([c2.id, c1.id]);
      const b = await coord(102);
      expect(await removeCoordinator(db.prisma, clock, 101, settings)).toBe(2);
      const moved = await db.prisma.case.findMany({ orderBy: { id: "asc" } });
      expect(moved.map((m) => [m.status, m.coordinatorId])).toEqual([["assigned", b.id], ["assigned", b.id]]);
      expect(await coordinatorByTelegram(db.prisma, 101)).toBeNull();
      expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: a.id } })).openCases).toBe(0);
    });

    it("invites: one-time, expiring, with the scope attached", async () => {
      const token = await createInvite(db.prisma, clock, 9000, { regions: ["RU-TAM"], categories: ["legal"], maxOpen: 4 }, 1);
      expect(await acceptInvite(db.prisma, clock, "nope", 201)).toBe("unknown");
      expect(await acceptInvite(db.prisma, clock, token, 201)).toBe("ok");
      expect(await acceptInvite(db.prisma, clock, token, 202)).toBe("used");
      expect(await coordinatorByTelegram(db.prisma, 201)).toMatchObject({ regions: "RU-TAM", categories: "legal", maxOpen: 4 });
      const late = await createInvite(db.prisma, clock, 9000, { regions: [], categories: ["payments"] }, 1);
      now = new Date(now.getTime() + 2 * 3600_000);
      expect(await acceptInvite(db.prisma, clock, late, 203)).toBe("expired");
      await expect(createInvite(db.prisma, clock, 9000, { regions: ["RU-XXX"], categories: ["payments"] })).rejects.toThrow(/unknown region: RU-XXX/);
      await expect(createInvite(db.prisma, clock, 9000, { regions: [], categories: ["money"] })).rejects.toThrow(/unknown category: money/);
    });

    it("outbox: claimed once across workers, retried after failures, sent once", async () => {
      await coord(101);
      await createCase(db.prisma, clock, newCase(), settings);
      const [w1, w2] = await Promise.all([claimNext(db.prisma, now, 60_000), claimNext(db.prisma, now, 60_000)]);
      expect([w1, w2].filter(Boolean)).toHaveLength(1);
      const job = (w1 ?? w2)!;
      await markFailed(db.prisma, job.id, now, "429", { retryAfterSec: 5 });
      expect(await claimNext(db.prisma, new Date(now.getTime() + 4000), 60_000)).toBeNull();
      const retry = await claimNext(db.prisma, new Date(now.getTime() + 5000), 60_000);
      expect(retry).not.toBeNull();
      await markSent(db.prisma, retry!.id, now, 555);
      expect(await claimNext(db.prisma, new Date(now.getTime() + 999_000), 60_000)).toBeNull();
      expect(await db.prisma.outbox.findFirstOrThrow()).toMatchObject({ attempts: 2, sentMessageId: 555 });
    });
  });
}
