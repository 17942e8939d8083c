// What an event's change may do once people have signed up, on both engines: an answered question
// keeps its kind and options and cannot be removed (its label can change, new questions can come);
// quotas are replaced while no seat is held and refused after; and at erasure the per-update keys
// of a person in rows made for others are replaced (still unique), without touching anyone else's.
import { describe, expect, it } from "vitest";
import { ENGINES } from "../helpers/db.js";
import { signUp } from "../../src/services/events/enrolment.js";
import { catalogue } from "../../src/services/events/catalogue.js";
import { updateEvent } from "../../src/services/events/organise.js";
import { unlinkUpdateKeys } from "../../src/services/people/update-keys.js";
import { eventsWorld, participant, publishedEvent, settings, START, T0 } from "../helpers/events.js";

const diet = { id: "diet", type: "text" as const, required: false, label: { ru: "Питание" } as Record<string, string> };
const size = { id: "size", type: "choice" as const, required: true, label: { ru: "Размер" } as Record<string, string>, options: ["S", "M"] };

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`event changes after sign-ups, and erasure of update keys (${engine.name})`, () => {
    const w = eventsWorld(engine);
    const { clock, k } = w;

    it("an answered question stays with its kind and options; an unanswered one may go; new ones may come", async () => {
      const id = await publishedEvent(w.db.prisma, w.org, { capacity: 10, questions: [diet, size] });
      const p = await participant(w.db.prisma);
      expect(await signUp(w.db.prisma, clock, { eventId: id, personId: p, answers: { size: "M" }, key: k() }, settings)).toMatchObject({ outcome: "confirmed" });
      const change = (questions: (typeof diet | typeof size)[]) => updateEvent(w.db.prisma, clock, id, { questions }, w.org, k(), settings);
      expect(await change([diet])).toBe("questions_answered");
      expect(await change([diet, { ...size, options: ["S", "M", "L"] }])).toBe("questions_answered");
      expect(await change([diet, { ...size, type: "text", options: undefined } as never])).toBe("questions_answered");
      expect(JSON.parse((await w.db.prisma.event.findUniqueOrThrow({ where: { id } })).questions)).toEqual([diet, size]);
      expect(await change([{ ...size, label: { ru: "Размер футболки", en: "T-shirt size" } }, { id: "q1", type: "yes_no", required: true, label: { ru: "Трансфер?" } } as never])).toBe("changed");
      expect(JSON.parse((await w.db.prisma.event.findUniqueOrThrow({ where: { id } })).questions).map((q: { id: string }) => q.id)).toEqual(["size", "q1"]);
    });

    it("quotas are replaced while no seat is held, the rest follows the capacity; after a sign-up they are refused", async () => {
      const id = await publishedEvent(w.db.prisma, w.org, { capacity: 10, regions: ["RU-TAM", "RU-LIP"] });
      expect(await updateEvent(w.db.prisma, clock, id, { quotas: { "RU-TAM": 4 } }, w.org, k(), settings)).toBe("changed");
      expect(await updateEvent(w.db.prisma, clock, id, { capacity: 12, quotas: { "RU-TAM": 4, "RU-LIP": 3 } }, w.org, k(), settings)).toBe("changed");
      const rows = async () => (await w.db.prisma.eventQuota.findMany({ where: { eventId: id }, orderBy: { regionCode: "asc" } })).map((q) => [q.regionCode, q.seats]);
      expect(await rows()).toEqual([["*", 5], ["RU-LIP", 3], ["RU-TAM", 4]]);
      const p = await participant(w.db.prisma);
      await signUp(w.db.prisma, clock, { eventId: id, personId: p, key: k() }, settings);
      expect(await updateEvent(w.db.prisma, clock, id, { quotas: { "RU-TAM": 6 } }, w.org, k(), settings)).toBe("quotas_locked");
      expect(await updateEvent(w.db.prisma, clock, id, { quotas: { "RU-LIP": 3, "RU-TAM": 4 } }, w.org, k(), settings)).toBe("changed"); // the same quotas: nothing to change
      expect(await rows()).toEqual([["*", 5], ["RU-LIP", 3], ["RU-TAM", 4]]);
      expect((await w.db.prisma.eventQuota.findUniqueOrThrow({ where: { eventId_regionCode: { eventId: id, regionCode: "RU-TAM" } } })).taken).toBe(1);
    });

    it("the catalogue's one statement: comma lists match whole items (an _ in a role is no wildcard), with the person's own status", async () => {
      const soldier = await participant(w.db.prisma, { role: "service_member", regionCode: "RU-LIP" });
      const at = (d: number) => ({ startsAt: new Date(START.getTime() + d * 3_600_000), endsAt: new Date(START.getTime() + (d + 1) * 3_600_000) });
      const listed = [
        await publishedEvent(w.db.prisma, w.org, { ...at(1) }),
        await publishedEvent(w.db.prisma, w.org, { ...at(2), audience: ["graduate", "service_member"], regions: ["RU-TAM", "RU-LIP"] }),
        await publishedEvent(w.db.prisma, w.org, { ...at(3), audience: ["service_member"], regions: ["RU-LIP", "RU-TAM", "RU-VOR"] }),
        await publishedEvent(w.db.prisma, w.org, { ...at(4), audience: ["family", "service_member", "graduate"], capacity: 3 }),
      ];
      await publishedEvent(w.db.prisma, w.org, { ...at(5), audience: ["graduate"] });
      await publishedEvent(w.db.prisma, w.org, { ...at(6), regions: ["RU-TAM", "RU-LIPX"] });
      await w.db.prisma.event.update({ where: { id: await publishedEvent(w.db.prisma, w.org, at(7)) }, data: { audience: "serviceXmember" } });
      await publishedEvent(w.db.prisma, w.org, { ...at(8), minAge: 30 });
      await signUp(w.db.prisma, clock, { eventId: listed[3]!, personId: soldier, key: k() }, settings);
      const p = await catalogue(w.db.prisma, clock, soldier, 0, 10);
      expect(p.items.map((i) => i.id)).toEqual(listed);
      expect(p.items[3]).toMatchObject({ mine: "confirmed", freeSeats: 2, waitingList: true, online: false, title: { ru: "Тренинг" } });
      expect(p.items[3]!.startsAt).toEqual(at(4).startsAt);
      expect(p.items[0]).toMatchObject({ mine: null, freeSeats: null });
      const two = await catalogue(w.db.prisma, clock, soldier, 1, 2);
      expect([two.items.map((i) => i.id), two.hasMore]).toEqual([listed.slice(2), false]);
    });

    it("erasure replaces a person's press, message and edit keys in others' rows, and no one else's", async () => {
      const id = await publishedEvent(w.db.prisma, w.org);
      const row = (key: string) => w.db.prisma.outbox.create({ data: { key, chatId: 1n, method: "event", payload: "{}", nextAttemptAt: T0, createdAt: T0 } });
      const mine = [await row("event-changed:1:c:123:987:5"), await row("event-confirmed:2:c:123:55"), await row("x:m:123:7"), await row("e:123:7:9")];
      const others = [await row("event-changed:1:c:1234:987:5"), await row("event-message:123:5"), await row("c:9123:4"), await row("reminder:123:1")];
      const m = await w.db.prisma.eventMessage.create({ data: { eventId: id, text: "t", sourceKey: "c:123:42", createdAt: T0 } });
      expect(await unlinkUpdateKeys(w.db.prisma as never, 123n)).toBe(5);
      for (const r of mine) expect((await w.db.prisma.outbox.findUniqueOrThrow({ where: { id: r.id } })).key).toBe(`erased-key:${r.id}`);
      for (const r of others) expect((await w.db.prisma.outbox.findUniqueOrThrow({ where: { id: r.id } })).key).toBe(r.key);
      expect((await w.db.prisma.eventMessage.findUniqueOrThrow({ where: { id: m.id } })).sourceKey).toBe(`erased-key:${m.id}`);
    });
  });
}
