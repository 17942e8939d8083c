// Nothing doubled, nothing lost: a crash between storing and finishing, two processes holding the
// same update or the same notice, an update id Telegram uses again, a handler that failed, and
// messages Telegram will never deliver.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Composer } from "grammy";
import type { Update } from "grammy/types";
import { ENGINES, sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness, type HarnessOptions } from "../helpers/harness.js";
import { ask, coordinator, family, takenCase } from "../helpers/people.js";
import { finishUnfinished } from "../../src/bot/transport/inbox.js";
import { DELIVERY_LEASE_MS } from "../../src/jobs/outbox.js";
import type { BotContext } from "../../src/bot/context.js";

const blocked = { ok: false as const, error_code: 403, description: "Forbidden: bot was blocked by the user" };

describe("exactly once (sqlite)", () => {
  let db: TestDb;
  let h: Harness;
  let now: Date;
  const start = async (opts: HarnessOptions = {}) => {
    h = await harness(db, { clock: () => now, ...opts });
  };
  beforeEach(async () => {
    db = await sqliteTestDb();
    now = new Date();
    await start();
  });
  afterEach(async () => db.dispose());

  const taken = (coordId?: number) => takenCase(h, db, coordId);

  it("killed after a relayed message and a note are stored, before the update is finished: after the restart each is stored and relayed once", async () => {
    const { coord, maria, c } = await taken();
    let dying = true;
    await start({ intercept: (x) => (dying && /^✓|Заметка/.test(String(x.payload.text)) ? "hang" : undefined) });
    void h.text(maria, "где мои деньги");
    void h.command(coord, "note", `${c.number} позвонить в СФР`);
    await new Promise((r) => setTimeout(r, 300));
    dying = false;
    await start(); // the new process finishes what the dead one left
    expect(h.texts(coord.id).filter((t) => t.startsWith("📝 Заметка"))).toHaveLength(1);
    await start(); // and a second restart finds nothing left to do
    expect(h.calls).toEqual([]);
    await h.deliver();
    const messages = await db.prisma.caseMessage.findMany({ where: { caseId: c.id, text: { in: ["где мои деньги", "позвонить в СФР"] } } });
    expect(messages.map((m) => m.author).sort()).toEqual(["note", "requester"]);
    expect(h.texts(coord.id).filter((t) => t.includes("где мои деньги"))).toHaveLength(1);
  });

  it("a handler that failed leaves its update unfinished; the recovery job handles it again", async () => {
    let failures = 1;
    const flaky = new Composer<BotContext>();
    flaky.command("flaky", async (ctx) => {
      if (failures-- > 0) throw new Error("database is locked");
      await ctx.reply("done");
    });
    await start({ features: [{ name: "flaky", composer: flaky }] });
    const u = await h.member(7201);
    const upd = await h.command(u, "flaky");
    expect(h.lastText(u.id)).toContain("что-то пошло не так");
    expect(await db.prisma.inboxUpdate.findUniqueOrThrow({ where: { updateId: BigInt(upd.update_id) } })).toMatchObject({ handledAt: null });
    now = new Date(now.getTime() + 61_000);
    expect(await finishUnfinished(h.bot, h.deps, false)).toBe(1);
    expect(h.lastText(u.id)).toBe("done");
    expect(await finishUnfinished(h.bot, h.deps, false)).toBe(0);
  });

  it("an update id Telegram uses again (a week of silence, a new token) is a new update: the second person gets their own request", async () => {
    await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    const anna = await family(h, 7102);
    const mariaConfirm = await ask(h, maria);
    const mariaCase = await db.prisma.case.findFirstOrThrow();
    await h.press(anna, "menu:ask");
    await h.press(anna, "form:cat:payments");
    await h.text(anna, "мой вопрос");
    await h.press(anna, "form:done");
    await h.press(anna, "form:urgency:normal");
    const annaConfirm: Update = { ...(h.pressUpdate(anna, "form:confirm")), update_id: mariaConfirm.update_id };
    await h.send(annaConfirm);
    const annaCase = await db.prisma.case.findFirstOrThrow({ where: { id: { not: mariaCase.id } } });
    expect(annaCase.description).toBe("мой вопрос");
    expect(h.lastText(anna.id)).toContain(`#${annaCase.number}`);
    expect(h.lastText(anna.id)).not.toContain(`#${mariaCase.number}`);
  });

  it("a colleague who was only asked to look gets no 'note saved' when nothing was saved", async () => {
    await coordinator(h, db, 7001);
    const colleague = await coordinator(h, db, 7002);
    const maria = await family(h, 7101);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    const offered = (await db.prisma.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId! } })).telegramId === 7001n ? 7001 : 7002;
    await h.press(h.user(offered), `case:colleague:${c.id}`);
    const asked = offered === 7001 ? colleague : h.user(7001);
    await h.command(asked, "note", `${c.number} посмотрю завтра`);
    expect(h.lastText(asked.id)).toBe("Это обращение не ваше.");
    expect(await db.prisma.caseMessage.count({ where: { author: "note" } })).toBe(0);
  });

  it("a coordinator who blocked the bot loses the case to the next one; the requester is told and nothing she wrote is lost", async () => {
    const { coord, maria, c } = await taken();
    const next = await coordinator(h, db, 7002);
    let blocking = true;
    await start({ intercept: (x) => (blocking && Number(x.payload.chat_id) === coord.id && x.method === "sendMessage" ? blocked : undefined) });
    await h.text(maria, "вы здесь?");
    await h.deliver();
    await h.deliver();
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "assigned", coordinatorId: (await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: 7002n } })).id });
    expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: 7001n } })).onDuty).toBe(false);
    expect(h.texts(maria.id)).toContain(`Обращение #${c.number}: ваш координатор сейчас недоступен в Telegram, поэтому обращение передано другому координатору. Всё, что вы написали, он увидит.`);
    blocking = false;
    await h.press(next, `case:take:${c.id}`);
    await h.deliver();
    expect(h.texts(next.id)).toContain(`💬 <b>#${c.number}</b> · Заявитель\nвы здесь?`);
  });

  it("a requester who blocked the bot: the coordinator is told their message did not arrive", async () => {
    const { coord, maria, c } = await taken();
    await start({ intercept: (x) => (Number(x.payload.chat_id) === maria.id && x.method === "sendMessage" ? blocked : undefined) });
    await h.text(coord, "Добрый день, нужна справка");
    expect(h.lastText(coord.id)).toContain("✓ Отправлено");
    await h.deliver();
    await h.deliver();
    expect(h.lastText(coord.id)).toBe(`⚠️ Сообщение по обращению #${c.number} не доставлено: заявитель заблокировал бота («Добрый день, нужна справка»). Через бот ему больше не написать.`);
  });
});

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`several processes on one database (${engine.name})`, () => {
    let db: TestDb;
    let now: Date;
    beforeEach(async () => {
      db = await engine.create();
      now = new Date();
    });
    afterEach(async () => db.dispose());

    it("a webhook retry reaching a second process while the first still handles it is not handled twice", async () => {
      let slow = true;
      const a = await harness(db, { clock: () => now, intercept: (x) => (slow && String(x.payload.text).startsWith("✓") ? "hang" : undefined) });
      const b = await harness(db, { clock: () => now });
      const coord = await coordinator(a, db, 7001);
      const maria = await family(a, 7101);
      await ask(a, maria);
      const c = await db.prisma.case.findFirstOrThrow();
      await a.press(coord, `case:take:${c.id}`);
      const upd = a.message(maria, { text: "одно сообщение" });
      void a.send(upd); // process A is still working on it (its answer hangs)
      await new Promise((r) => setTimeout(r, 300));
      b.clear();
      await b.send(structuredClone(upd)); // Telegram's retry lands on process B
      slow = false;
      expect(b.calls).toEqual([]);
      expect(await db.prisma.caseMessage.count({ where: { text: "одно сообщение" } })).toBe(1);
    });

    it("a notice whose send is slow is not claimed and sent again by another process", async () => {
      let hold = true;
      const a = await harness(db, { clock: () => now, intercept: (x) => (hold && String(x.payload.text).startsWith("🆕") ? "hang" : undefined) });
      const b = await harness(db, { clock: () => now });
      await coordinator(a, db, 7001);
      const maria = await family(a, 7101);
      await ask(a, maria);
      a.clear();
      void a.deliver(); // A claims the ping; Telegram is slow to answer
      await new Promise((r) => setTimeout(r, 300));
      now = new Date(now.getTime() + DELIVERY_LEASE_MS / 2); // longer than the old 60 s lease
      hold = false;
      expect(await b.deliver()).toBe(0);
      expect(b.calls.filter((x) => String(x.payload.text).startsWith("🆕"))).toEqual([]);
    });

    it("two processes delivering the same queue send each notice once", async () => {
      const a = await harness(db, { clock: () => now });
      const b = await harness(db, { clock: () => now });
      await coordinator(a, db, 7001, { maxOpen: 50 });
      for (let i = 0; i < 8; i++) await ask(a, await family(a, 7100 + i), `вопрос ${i}`);
      a.clear();
      await Promise.all([a.deliver(), b.deliver(), a.deliver(), b.deliver()]);
      const pings = [...a.calls, ...b.calls].filter((x) => String(x.payload.text).startsWith("🆕"));
      expect(pings).toHaveLength(8);
      expect(new Set(pings.map((x) => String(x.payload.text))).size).toBe(8);
    });
  });
}

describe("a double press of Ask a colleague", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    h = await harness(db);
  });
  afterEach(async () => db.dispose());

  it("asks one colleague, not two", async () => {
    for (const id of [7001, 7002, 7003]) await coordinator(h, db, id);
    const maria = await family(h, 7101);
    await ask(h, maria);
    await h.deliver();
    const c = await db.prisma.case.findFirstOrThrow();
    const offered = Number((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId! } })).telegramId);
    const ping = h.sentTo(offered).find((x) => String(x.payload.text).startsWith("🆕"))!;
    await h.press(h.user(offered), `case:colleague:${c.id}`, h.lastMessageIdOf(ping));
    await h.press(h.user(offered), `case:colleague:${c.id}`, h.lastMessageIdOf(ping));
    expect(await db.prisma.caseEvent.count({ where: { type: "colleague_asked" } })).toBe(1);
  });
});
