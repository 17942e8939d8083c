// Direct replies share the sending budget with every other sender (issue 14, point 2): two bot
// instances answering at once keep the combined rate (checked on the slots each reply was given,
// not on wall-clock timing), a person whose updates go to either gets a short burst and then one
// message a second (checked on the times the pacer gave), a 429 one of them gets pauses the other
// and the refused reply is retried once, and a person who writes during an announcement is
// answered before it is through.
// On SQLite both instances share one process's budget (one file is one process); on PostgreSQL
// each has its own connection pool and budget object, and they meet in the DeliveryPace row.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { harness, type Call, type Harness } from "../helpers/harness.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { budgetFor, type SendBudget } from "../../src/services/delivery/budget.js";
import { chatGapsFor, PRIVATE_BURST } from "../../src/services/delivery/chat-gap.js";
import { createAnnouncement, queueAnnouncement } from "../../src/services/delivery/announcements.js";

const RATE = 20;
const SLOT = 1000 / RATE;
const env = { OUTBOX_RATE_PER_SECOND: String(RATE), OUTBOX_CHAT_GAP_MS: "1000" };
const PACED = /^(send(?!ChatAction)|copyMessage|editMessage)/;

/** Notes the slot every paced call of these budgets went out in. */
function slotsOf(budgets: SendBudget[]): number[] {
  const slots: number[] = [];
  for (const b of new Set(budgets)) {
    const turn = b.turn.bind(b);
    b.turn = async (...args) => {
      const used = await turn(...args);
      if (used !== null) slots.push(used);
      return used;
    };
  }
  return slots;
}

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`replies paced with every other sender (${engine.name})`, () => {
    let db: TestDb;
    let second: Database | undefined;
    const sends: { call: Call; at: number; by: string }[] = [];
    const record = (by: string) => (call: Call) => void (PACED.test(call.method) && sends.push({ call, at: Date.now(), by }));
    /** The second bot instance's database: its own client on PostgreSQL, the same process on SQLite. */
    const otherDb = (): TestDb => (second ? { ...db, prisma: second.prisma } : db);

    beforeEach(async () => {
      sends.length = 0;
      db = await engine.create();
      second = engine.name === "postgresql" ? await openDatabase(db.url) : undefined;
    });
    afterEach(async () => {
      await second?.close();
      await db.dispose();
    });

    it("two instances answering thirty people at once stay within the combined rate, each reply in its own slot", async () => {
      const a = await harness(db, { env, intercept: record("a") });
      const b = await harness(otherDb(), { env, intercept: record("b") });
      const slots = slotsOf([budgetFor(a.deps.prisma, RATE), budgetFor(b.deps.prisma, RATE)]);
      const people = Array.from({ length: 30 }, (_, i) => 71_000 + i);
      await Promise.all(people.map((id, i) => (i % 2 ? a : b).command(a.user(id), "start")));

      // Everyone was answered, by both instances.
      for (const id of people) expect(sends.some((s) => Number(s.call.payload.chat_id) === id)).toBe(true);
      expect(new Set(sends.map((s) => s.by))).toEqual(new Set(["a", "b"]));
      // Every paced call had a slot of its own, a slot apart at least: never more than RATE in a second.
      expect(slots).toHaveLength(sends.length);
      slots.sort((x, y) => x - y);
      for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(SLOT - 1e-6);
      for (let i = RATE; i < slots.length; i++) expect(slots[i]! - slots[i - RATE]!).toBeGreaterThanOrEqual(1000 - 1e-6);
    });

    it("a person whose updates go to both instances gets a short burst, then one message a second", async () => {
      const a = await harness(db, { env, intercept: record("a") });
      const b = await harness(otherDb(), { env, intercept: record("b") });
      // When the pacer of either instance let each message to the chat go.
      const allowed: number[] = [];
      for (const gaps of new Set([a, b].map((h) => chatGapsFor(h.deps.prisma, 1000, h.deps.config.BOT_TOKEN)))) {
        const book = gaps.book.bind(gaps);
        gaps.book = async (...args) => {
          const at = await book(...args);
          allowed.push(at);
          return at;
        };
      }
      const maria = a.user(74_001);
      await a.command(maria, "start"); // hello and the languages
      await b.press(maria, "lang:ru"); // the programme and the consent text
      await a.press(maria, "consent:yes"); // thanks and the menu
      const toMaria = sends.filter((s) => Number(s.call.payload.chat_id) === maria.id);
      expect(new Set(toMaria.map((s) => s.by))).toEqual(new Set(["a", "b"]));
      expect(toMaria.length).toBeGreaterThanOrEqual(PRIVATE_BURST + 2);
      expect(allowed).toHaveLength(toMaria.length);
      // However fast the person goes and whichever instance answers: the burst, then one a second,
      // and no message before the time it was given.
      for (let i = PRIVATE_BURST; i < allowed.length; i++) expect(allowed[i]! - allowed[0]!).toBeGreaterThanOrEqual((i - PRIVATE_BURST + 1) * 1000);
      toMaria.forEach((s, i) => expect(s.at).toBeGreaterThanOrEqual(allowed[i]! - 2));
    });

    it("a 429 one instance gets pauses the other; the refused reply is sent again, once", async () => {
      let refuse = 1;
      const limited = (call: Call) => {
        record("a")(call);
        return call.method === "sendMessage" && refuse-- > 0 ? { ok: false as const, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } : undefined;
      };
      const a = await harness(db, { env, intercept: limited });
      const b = await harness(otherDb(), { env, intercept: record("b") });
      const seenByB = budgetFor(b.deps.prisma, RATE);
      const first = a.command(a.user(72_001), "start");
      let paused = 0;
      while ((paused = await seenByB.pausedUntil()) <= Date.now()) await new Promise((r) => setTimeout(r, 10));
      await b.command(b.user(72_002), "start");
      const toB = sends.filter((s) => s.by === "b");
      expect(toB.length).toBeGreaterThan(0);
      for (const s of toB) expect(s.at).toBeGreaterThanOrEqual(paused - 2); // nothing before the pause ends
      await first;
      const toA = sends.filter((s) => s.by === "a" && s.call.method === "sendMessage");
      // /start says hello, then offers the languages: the hello refused once and sent again, nothing else twice.
      expect(toA.map((s) => Number(s.call.payload.chat_id))).toEqual([72_001, 72_001, 72_001]);
      expect(toA[1]!.call.payload.text).toBe(toA[0]!.call.payload.text);
      expect(toA[2]!.call.payload.text).not.toBe(toA[0]!.call.payload.text);
      expect(toA[1]!.at).toBeGreaterThanOrEqual(paused - 2);
    });

    it("a person who writes during an announcement is answered before it is through", async () => {
      const a = await harness(db, { env, intercept: record("outbox") });
      const b = await harness(otherDb(), { env, intercept: record("reply") });
      for (let i = 0; i < 40; i++) await db.prisma.person.create({ data: { telegramId: BigInt(73_000 + i), locale: "ru", consents: { create: { version: "1", givenAt: new Date() } } } });
      const id = await createAnnouncement(db.prisma, () => new Date(), { createdBy: null, audience: {}, text: "Объявление" });
      expect(await queueAnnouncement(db.prisma, () => new Date(), id)).toBe(40);
      const delivering = a.deliver(100); // two seconds of the budget
      while (!sends.some((s) => s.by === "outbox")) await new Promise((r) => setTimeout(r, 10));
      await b.command(b.user(73_999), "start");
      await delivering;
      const announced = sends.filter((s) => s.by === "outbox" && s.call.payload.text === "Объявление");
      expect(announced).toHaveLength(40);
      const answered = sends.find((s) => s.by === "reply")!;
      expect(answered.at).toBeLessThan(announced.at(-1)!.at);
    });
  });
}
