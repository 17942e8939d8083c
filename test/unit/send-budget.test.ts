// The sending budget every sender shares (services/delivery/budget.ts) on a fake clock: replies
// waiting at once share one reservation, the outbox yields to replies (but not for ever), a slot
// woken late or overtaken by a 429's pause is exchanged; the gap per chat lets a short burst into a
// private chat, then one a second. On PostgreSQL: two processes (two clients) never get the same
// slot, and a pause one sets is seen by the other.
import { afterEach, describe, expect, it } from "vitest";
import { LATE_MS, memoryStore, OUTBOX_YIELD_MS, postgresStore, SendBudget, type BudgetStore, type Timer } from "../../src/services/delivery/budget.js";
import { memoryChatGaps, postgresChatGaps, PRIVATE_BURST } from "../../src/services/delivery/chat-gap.js";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { openDatabase, type Database } from "../../src/db/client.js";

/** Virtual time: a sleep moves the clock on at once (one sleeper at a time in these tests). */
function fakeTimer(start = 1_000_000): Timer & { t: number; onSleep?: () => void } {
  const timer = {
    t: start,
    onSleep: undefined as undefined | (() => void),
    now: () => timer.t,
    sleep: async (ms: number) => {
      timer.t += Math.max(0, ms);
      timer.onSleep?.();
    },
  };
  return timer;
}

/** Counts the store's reservations. */
function counted(store: BudgetStore): BudgetStore & { takes: number } {
  const c = { ...store, takes: 0, take: (...a: Parameters<BudgetStore["take"]>) => (c.takes++, store.take(...a)) };
  return c;
}

describe("sending budget (one process, in memory)", () => {
  it("replies asking at once share one reservation and get consecutive slots at the rate", async () => {
    const timer = fakeTimer();
    const store = counted(memoryStore());
    const budget = new SendBudget(store, 20, timer); // a slot every 50 ms
    const slots = await Promise.all([budget.slots(), budget.slots(), budget.slots(2), budget.slots()]);
    expect(store.takes).toBe(1);
    expect(slots.map((s) => s - timer.t)).toEqual([0, 50, 100, 200]); // the album of two takes two slots
    expect((await budget.slots()) - timer.t).toBe(250); // the next one queues behind them
  });

  it("the outbox waits while replies are queued ahead and goes as soon as they are through", async () => {
    const timer = fakeTimer();
    const budget = new SendBudget(memoryStore(), 20, timer);
    const t0 = timer.t;
    await Promise.all(Array.from({ length: 10 }, () => budget.slots())); // replies until t0 + 500
    const first = await budget.slotsYielding(5);
    expect(first).toBe(t0 + 500); // right after the replies, not before them
    // A reply asking now waits only for the outbox's five (a quarter second), not for more.
    expect(await budget.slots()).toBe(t0 + 750);
  });

  it("replies that never stop cannot keep the outbox out for longer than OUTBOX_YIELD_MS", async () => {
    const timer = fakeTimer();
    const budget = new SendBudget(memoryStore(), 20, timer);
    const t0 = timer.t;
    await budget.slots(4);
    timer.onSleep = () => void budget.slots(4); // more replies every time the outbox looks
    const first = await budget.slotsYielding(5);
    expect(timer.t - t0).toBeGreaterThanOrEqual(OUTBOX_YIELD_MS);
    expect(timer.t - t0).toBeLessThan(OUTBOX_YIELD_MS + 300);
    expect(first).toBeGreaterThanOrEqual(timer.t); // it queued behind the replies taken so far
  });

  it("a slot woken up later than LATE_MS is exchanged for a new one, so late sends never bunch", async () => {
    const timer = fakeTimer();
    const budget = new SendBudget(memoryStore(), 20, timer);
    const slot = await budget.slots();
    await budget.slots(3); // others hold the next three
    timer.t += LATE_MS + 1; // this process was busy when its slot came
    const used = await budget.turn(slot, 1, { onPause: "wait" });
    expect(used).toBe(slot + 200); // after the three taken meanwhile
    expect(await budget.turn(await budget.slots(), 1, { onPause: "wait" })).toBe(slot + 250);
  });

  it("a 429's pause overtakes slots already taken: replies wait for it, the outbox gives its batch back", async () => {
    const timer = fakeTimer();
    const budget = new SendBudget(memoryStore(), 20, timer);
    const reply = await budget.slots();
    const outbox = await budget.slotsYielding(3);
    await budget.pause(timer.t + 2000);
    expect(await budget.turn(outbox + 50, 1, { onPause: "stop" })).toBeNull();
    const used = await budget.turn(reply, 1, { onPause: "wait" });
    expect(used).toBeGreaterThanOrEqual(timer.t - 1);
    expect(used).toBeGreaterThanOrEqual(1_000_000 + 2000);
    expect(await budget.pausedUntil()).toBe(1_000_000 + 2000);
  });
});

describe("gap per chat for replies (one process, in memory)", () => {
  it("a private chat gets a short burst at once, then one message per gap", async () => {
    const gaps = memoryChatGaps(1000);
    const at: number[] = [];
    for (let i = 0; i < PRIVATE_BURST + 2; i++) at.push(await gaps.book(42, 1, 0));
    expect(at).toEqual([0, 0, 0, 1000, 2000]);
    expect(await gaps.book(43, 1, 0)).toBe(0); // another chat is not held up
    expect(await gaps.book(42, 1, 10_000)).toBe(10_000); // a quiet chat may have its burst again
    expect(await gaps.book(42, 2, 10_000)).toBe(10_000);
    expect(await gaps.book(42, 1, 10_000)).toBe(11_000);
  });

  it("groups get no burst; an album uses the whole burst; a gap of 0 turns it off", async () => {
    const gaps = memoryChatGaps(1000);
    expect([await gaps.book(-100, 1, 0), await gaps.book(-100, 1, 0)]).toEqual([0, 1000]);
    expect([await gaps.book(7, 10, 0), await gaps.book(7, 1, 0)]).toEqual([0, 1000]);
    const off = memoryChatGaps(0);
    for (let i = 0; i < 4; i++) expect(await off.book(7, 1, 5)).toBe(5);
  });
});

const postgres = ENGINES.find((e) => e.name === "postgresql")!;

describe.skipIf(postgres.skip)("sending budget on PostgreSQL (several processes)", () => {
  let db: TestDb;
  let other: Database;
  afterEach(async () => {
    await other?.close();
    await db?.dispose();
  });

  it("two processes taking at once never get the same slot, and a 429 one of them hears pauses both", async () => {
    db = await postgres.create();
    other = await openDatabase(db.url);
    const a = new SendBudget(postgresStore(db.prisma), 20);
    const b = new SendBudget(postgresStore(other.prisma), 20);
    const taken: { first: number; n: number }[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const n = 1 + (i % 3);
        taken.push({ first: await (i % 2 ? a : b).slots(n), n });
      }),
    );
    taken.sort((x, y) => x.first - y.first);
    for (let i = 1; i < taken.length; i++) expect(taken[i]!.first).toBeGreaterThanOrEqual(taken[i - 1]!.first + taken[i - 1]!.n * 50 - 1e-6);
    const row = await db.prisma.deliveryPace.findUniqueOrThrow({ where: { key: "global" } });
    const last = taken.at(-1)!;
    expect(Number(row.nextSlotMs)).toBeGreaterThanOrEqual(last.first + last.n * 50 - 1);

    const until = Date.now() + 60_000;
    await a.pause(until);
    await new Promise((r) => setTimeout(r, 150)); // b's view of the pause is at most 100 ms old
    expect(await b.pausedUntil()).toBe(until);
    expect(await b.slots()).toBeGreaterThanOrEqual(until);
    expect(await b.turn(Date.now(), 1, { onPause: "stop" })).toBeNull();
  });

  it("the outbox's low-priority take is refused while replies hold the budget, and granted after", async () => {
    db = await postgres.create();
    const store = postgresStore(db.prisma);
    const now = Date.now();
    expect(await store.take(500, now, null)).toEqual({ first: now });
    expect(await store.take(100, now, { slackMs: 50 })).toEqual({ busyUntil: now + 500 });
    expect(await store.take(100, now + 460, { slackMs: 50 })).toEqual({ first: now + 500 });
  });

  it("a chat's bucket is shared by the processes (a row under a hash, never the chat id) and swept once quiet", async () => {
    db = await postgres.create();
    other = await openDatabase(db.url);
    const a = postgresChatGaps(db.prisma, 1000, "token-a");
    const b = postgresChatGaps(other.prisma, 1000, "token-a");
    const t = Date.now();
    // The person's first update is answered by one process, the next by the other: one bucket.
    const at = [await a.book(4242, 2, t), await b.book(4242, 1, t), await b.book(4242, 1, t), await a.book(4242, 1, t)];
    expect(at).toEqual([t, t, t + 1000, t + 2000]);
    expect([await a.book(-4242, 1, t), await b.book(-4242, 1, t)]).toEqual([t, t + 1000]);
    const keys = (await db.prisma.deliveryPace.findMany()).map((r) => r.key);
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k).not.toContain("4242");
    // Quiet again (its gap long past): the next booking sweeps it away.
    await postgresChatGaps(db.prisma, 1000, "token-a").book(1, 1, t + 60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(await db.prisma.deliveryPace.count()).toBe(1);
  });
});
