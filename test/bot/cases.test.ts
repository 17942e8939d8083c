// A family member asks for help and a coordinator answers, as both would through the bot; the
// races, faults and forged buttons of the case lifecycle.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { ENGINES, sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness, type HarnessOptions } from "../helpers/harness.js";
import { ask, coordinator, family, twoTakenCases } from "../helpers/people.js";
import { addCoordinator } from "../../src/services/cases/coordinators.js";
import { changeStatus, escalateLapsed } from "../../src/services/cases/lifecycle.js";
import { caseSettings } from "../../src/bot/features/cases/settings.js";

const deliver = (h: Harness) => h.deliver();

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`a request for help, start to finish (${engine.name})`, () => {
    let db: TestDb;
    let h: Harness;
    beforeEach(async () => {
      db = await engine.create();
      h = await harness(db);
    });
    afterEach(async () => db.dispose());

    it("ask → ping → take → three messages each way → resolve → rating", async () => {
      const coord = await coordinator(h, db, 7001);
      const maria = await family(h, 7101);
      await ask(h, maria);
      const created = h.lastText(maria.id);
      const number = /#(A-\d+)/.exec(created)![1]!;
      expect(created).toContain("принято");
      const c = await db.prisma.case.findUniqueOrThrow({ where: { number } });
      expect(c).toMatchObject({ status: "assigned", category: "payments", urgency: "normal", regionCode: "RU-TAM", description: "Не пришла выплата за сентябрь" });

      await deliver(h);
      const ping = h.last(coord.id)!;
      expect(ping.payload.text).toContain(`#${number}`);
      expect(ping.payload.text).toContain("Иванова Мария");
      expect(ping.payload.text).toContain("Тамбовская область");
      expect(Harness.buttons(ping).map((b) => b[1])).toEqual([`case:take:${c.id}`, `case:decline:${c.id}`, `case:colleague:${c.id}`]);

      await h.press(coord, `case:take:${c.id}`, h.lastMessageId(coord.id));
      expect(h.answers().at(-1)!.payload.text).toContain("Обращение ваше");
      await deliver(h);
      // The requester learns who took it and when to expect an answer: never the acknowledgement timer.
      expect(h.lastText(maria.id)).toContain(`Обращением <b>#${number}</b> занимается координатор Person7001.`);
      expect(h.lastText(maria.id)).toContain("в рабочее время программы: пн–пт 09:00–18:00");

      for (let i = 1; i <= 3; i++) {
        await h.text(maria, `Вопрос ${i}`);
        expect(h.lastText(maria.id)).toContain("Передано координатору");
        await deliver(h);
        expect(h.lastText(coord.id)).toBe(`💬 <b>#${number}</b> · Заявитель\nВопрос ${i}`);
        await h.text(coord, `Ответ ${i}`);
        expect(h.lastText(coord.id)).toContain("Отправлено заявителю");
        await deliver(h);
        expect(h.lastText(maria.id)).toBe(`💬 <b>#${number}</b> · Координатор\nОтвет ${i}`);
      }
      const card = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
      expect(card.firstResponseAt).not.toBeNull();

      await h.press(coord, `case:resolve:${c.id}`);
      await deliver(h);
      const rate = h.last(maria.id)!;
      expect(rate.payload.text).toContain("решено");
      expect(Harness.buttons(rate).map((b) => b[1])).toEqual([1, 2, 3, 4, 5].map((n) => `rate:${c.id}:${n}`));
      await h.press(maria, `rate:${c.id}:5`);
      await h.text(maria, "Спасибо, всё быстро");
      const done = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id }, include: { messages: true, events: true } });
      expect(done).toMatchObject({ status: "closed", rating: 5, ratingComment: "Спасибо, всё быстро" });
      expect(done.messages.filter((m) => m.author === "requester")).toHaveLength(4);
      expect(done.messages.filter((m) => m.author === "coordinator")).toHaveLength(3);
      expect(done.events.map((e) => e.type)).toEqual(["created", "assigned", "taken", "status", "rated"]);
      await h.press(maria, `rate:${c.id}:1`);
      expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).rating).toBe(5);
    });
  });
}

describe("cases: races, faults and access", () => {
  let db: TestDb;
  let h: Harness;
  const start = async (opts?: HarnessOptions) => {
    h = await harness(db, opts);
  };
  beforeEach(async () => {
    db = await sqliteTestDb();
    await start();
  });
  afterEach(async () => db.dispose());

  it("the same confirm delivered twice creates one case", async () => {
    await coordinator(h, db, 7001);
    const maria = await family(h, 7102);
    const confirm = await ask(h, maria);
    await h.send(structuredClone(confirm));
    expect(await db.prisma.case.count()).toBe(1);
    // Even past the update de-duplication (say, after its record was pruned) the case is found, not made again.
    await db.prisma.inboxUpdate.deleteMany();
    await h.send(structuredClone(confirm));
    expect(await db.prisma.case.count()).toBe(1);
  });

  it("killed after the case is stored but before the ping: after restart the ping goes out once", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7103);
    await ask(h, maria);
    await start(); // a new process; nothing was delivered by the old one
    expect(await deliver(h)).toBe(1);
    expect(await deliver(h)).toBe(0);
    expect(h.sentTo(coord.id).filter((c) => String(c.payload.text).includes("🆕"))).toHaveLength(1);
  });

  it("Telegram answers 429, then 500 to a ping: it is retried after the time asked, and delivered once", async () => {
    let refusals = [429, 500];
    let now = new Date("2026-11-23T10:00:00Z");
    await start({
      clock: () => now,
      intercept: (c) => {
        if (c.method !== "sendMessage" || Number(c.payload.chat_id) !== 7001 || !String(c.payload.text).includes("🆕")) return undefined;
        const code = refusals.shift();
        return code === 429 ? { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } : code === 500 ? { ok: false, error_code: 500, description: "Internal Server Error" } : undefined;
      },
    });
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7104);
    await ask(h, maria);
    expect(await deliver(h)).toBe(0); // 429: this round stops, the ping waits the second Telegram asked for
    expect(await deliver(h)).toBe(0); // not yet due
    now = new Date(now.getTime() + 1000);
    expect(await deliver(h)).toBe(0); // 500: tried again after a back-off
    now = new Date(now.getTime() + 2000);
    expect(await deliver(h)).toBe(1);
    const attempts = h.sentTo(coord.id).filter((c) => String(c.payload.text).includes("🆕"));
    expect(attempts).toHaveLength(3);
    expect(refusals).toEqual([]);
    const row = await db.prisma.outbox.findFirstOrThrow({ where: { method: "ping" } });
    expect(row.sentAt).not.toBeNull();
    expect(await deliver(h)).toBe(0);
  });

  it("a blocked coordinator's ping is set aside, not retried forever, and the case goes on to the next at once", async () => {
    let blockedNow = true;
    await start({ intercept: (c) => (blockedNow && Number(c.payload.chat_id) === 7001 && c.method === "sendMessage" ? { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } : undefined) });
    // 7001 has no open cases and so is chosen first; 7002 already holds one.
    const blocked = await addCoordinator(db.prisma, { telegramId: 7001, regions: ["RU-TAM"], categories: ["payments"] });
    const next = await coordinator(h, db, 7002);
    await db.prisma.coordinator.update({ where: { telegramId: 7002n }, data: { openCases: 1 } });
    const maria = await family(h, 7105);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    expect(c.coordinatorId).toBe(blocked.id);
    await deliver(h);
    const row = await db.prisma.outbox.findFirstOrThrow({ where: { method: "ping", chatId: 7001n } });
    expect(row.sentAt).toBeNull();
    expect(row.nextAttemptAt.getUTCFullYear()).toBe(9999);
    expect(row.lastError).toContain("blocked");
    // Not after the 30-minute acknowledgement time: now.
    const moved = await db.prisma.case.findFirstOrThrow({ include: { events: { orderBy: { id: "asc" } } } });
    expect(moved.coordinatorId).not.toBe(blocked.id);
    expect(moved.events.map((e) => e.type)).toContain("unreachable");
    expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: blocked.id } })).onDuty).toBe(false);
    await deliver(h);
    expect(h.texts(next.id).some((t) => t.includes(`#${c.number}`))).toBe(true);
    // When they open the bot again, they are told they are off duty and how to come back.
    blockedNow = false;
    const back = await h.member(7001);
    await h.command(back, "start");
    expect(h.lastText(7001)).toContain("Сейчас вы не на смене");
    await h.command(back, "duty");
    expect(h.lastText(7001)).toContain("Вы на смене");
    expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { id: blocked.id } })).onDuty).toBe(true);
  });

  it("two coordinators press Take on one case at once: one owns it, the other is told", async () => {
    const a = await coordinator(h, db, 7001);
    const b = await coordinator(h, db, 7002);
    const maria = await family(h, 7106);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    const offered = c.coordinatorId === (await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: 7001n } })).id ? a : b;
    await h.press(offered, `case:colleague:${c.id}`);
    await deliver(h);
    h.clear();
    await Promise.all([h.press(a, `case:take:${c.id}`), h.press(b, `case:take:${c.id}`)]);
    const answers = h.answers().map((x) => x.payload.text).sort();
    expect(answers).toEqual(["Обращение уже взял другой координатор.", "Обращение ваше. Пишите сюда — ответ уйдёт заявителю."].sort());
    expect((await db.prisma.case.findFirstOrThrow()).status).toBe("in_progress");
  });

  it("forged Take / Resolve and /case by people who are not the case's coordinator: refused, nothing changes", async () => {
    await coordinator(h, db, 7001);
    const other = await coordinator(h, db, 7003, { regions: ["RU-LIP"] });
    const maria = await family(h, 7107);
    const stranger = await family(h, 7108);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    h.clear();
    await h.press(stranger, `case:take:${c.id}`);
    await h.press(stranger, `case:resolve:${c.id}`);
    await h.press(other, `case:take:${c.id}`);
    await h.press(other, `case:resolve:${c.id}`);
    await h.press(stranger, `mycase:cancelyes:${c.id}`);
    expect(h.answers().map((a) => a.payload.text)).toEqual([
      "Это действие вам недоступно.", "Это действие вам недоступно.", "Это обращение предназначено не вам.", "Это действие вам недоступно.", "Эта кнопка больше не действует. Отправьте /menu, чтобы открыть меню.",
    ]);
    await h.command(stranger, "case", c.number);
    await h.command(other, "case", c.number);
    expect(h.lastText(stranger.id)).toContain("не найдено");
    expect(h.lastText(other.id)).toContain("не найдено");
    expect(await db.prisma.case.findFirstOrThrow()).toMatchObject({ status: "assigned" });
    // The stranger's own messages do not go into Maria's case.
    await h.text(stranger, "пустите меня в чужое обращение");
    expect(await db.prisma.caseMessage.count({ where: { caseId: c.id } })).toBe(1);
  });

  it("a coordinator with two cases replies in the right one by replying to the relayed message", async () => {
    const coord = await coordinator(h, db, 7001);
    const m1 = await family(h, 7110);
    const m2 = await family(h, 7111);
    const [c1, c2] = await twoTakenCases(h, db, coord, m1, m2);
    await h.text(m2, "жду ответа");
    await deliver(h);
    const relayed = h.sentTo(coord.id).find((c) => String(c.payload.text).includes("жду ответа"))!;
    const relayedId = h.lastMessageIdOf(relayed);
    h.clear();
    await h.send(h.message(coord, { text: "отвечаю второму", reply_to_message: { message_id: relayedId, date: 0, chat: { id: coord.id, type: "private", first_name: "x" } } as never }));
    await deliver(h);
    expect(h.lastText(m2.id)).toContain("отвечаю второму");
    expect(h.texts(m1.id).join()).not.toContain("отвечаю второму");
    // Not a reply, and the case last chosen (the one last taken) is resolved: asked which; the message
    // is held and goes once the case is chosen.
    const m3 = await family(h, 7113);
    await ask(h, m3, "третье");
    const c3 = await db.prisma.case.findFirstOrThrow({ where: { requester: { telegramId: BigInt(m3.id) } } });
    await h.press(coord, `case:take:${c3.id}`);
    expect(await changeStatus(db.prisma, h.deps.clock, c3.id, "resolved", "coordinator:1")).toBe(true);
    await h.text(coord, "отвечаю первому");
    expect(h.lastText(coord.id)).toContain("В какое обращение");
    expect(Harness.buttons(h.last(coord.id)).map((b) => b[1])).toEqual([`case:reply:${c1!.id}`, `case:reply:${c2!.id}`]);
    await h.press(coord, `case:reply:${c1!.id}`);
    await deliver(h);
    expect(h.lastText(m1.id)).toContain("отвечаю первому");
    expect(h.texts(m2.id).join()).not.toContain("отвечаю первому");
  });

  it("nobody takes: the case goes to the next coordinator and the supervisor is told", async () => {
    await start({ env: { CASE_ACK_SECONDS: "1" } });
    const a = await coordinator(h, db, 7001);
    const b = await coordinator(h, db, 7002);
    const sup = await coordinator(h, db, 7009, { supervisor: true, categories: [] });
    const maria = await family(h, 7112);
    await ask(h, maria);
    await deliver(h);
    const first = (await db.prisma.case.findFirstOrThrow()).coordinatorId;
    await new Promise((r) => setTimeout(r, 1100));
    await escalateLapsed(db.prisma, h.deps.clock, caseSettings(h.deps.config));
    await deliver(h);
    const second = (await db.prisma.case.findFirstOrThrow()).coordinatorId;
    expect(second).not.toBe(first);
    expect(h.lastText(sup.id)).toContain("не взяли за 1 мин");
    const secondUser = second === (await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: 7001n } })).id ? a : b;
    expect(h.lastText(secondUser.id)).toContain("🆕");
  });

  it("an administrator's invite link makes a coordinator, even when opened before consent", async () => {
    await start({ env: { ADMIN_TELEGRAM_IDS: "7900" } });
    const admin = await h.member(7900);
    await h.command(admin, "invite", "RU-TAM,RU-LIP payments,legal 5");
    const link = /start=(inv_[\w-]+)/.exec(h.lastText(admin.id))![1]!;
    await h.command(admin, "invite", "RU-XXX payments");
    expect(h.lastText(admin.id)).toContain("unknown region: RU-XXX");
    const newcomer = h.user(7901);
    await h.command(newcomer, "start", link);
    await h.press(newcomer, "lang:ru");
    await h.press(newcomer, "consent:yes");
    expect(h.lastText(newcomer.id)).toContain("вы координатор");
    expect(await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: 7901n } })).toMatchObject({ regions: "RU-TAM,RU-LIP", categories: "payments,legal", maxOpen: 5 });
    const late = await h.member(7902);
    await h.command(late, "start", link);
    expect(h.lastText(late.id)).toContain("уже использовано");
    await h.command(late, "invite", "RU-TAM payments");
    expect(h.lastText(late.id)).toContain("недоступно");
  });
});

describe("cases: the rest of what people do", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    h = await harness(db);
  });
  afterEach(async () => db.dispose());

  it("a requester with two open requests chooses which one a message is for; held messages go there once", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7125);
    const [c1, c2] = await twoTakenCases(h, db, coord, maria, maria);
    await deliver(h);
    h.clear();

    await h.text(maria, "по выплате");
    await h.send(h.message(maria, { photo: [{ file_id: "ph-1", file_unique_id: "u1", width: 1, height: 1 }] }));
    expect(h.lastText(maria.id)).toContain("несколько открытых обращений");
    expect(Harness.buttons(h.last(maria.id))).toEqual([[`#${c2!.number} · Выплаты и льготы`, `mycase:to:${c2!.id}`], [`#${c1!.number} · Выплаты и льготы`, `mycase:to:${c1!.id}`]]);
    await deliver(h);
    expect(h.sentTo(coord.id)).toHaveLength(0); // held until she chooses

    await h.press(maria, `mycase:to:${c1!.id}`);
    expect(h.lastText(maria.id)).toBe(`✓ Передано координатору (#${c1!.number}).`);
    await h.press(maria, `mycase:to:${c1!.id}`); // double press: nothing more
    expect(h.answers().at(-1)!.payload.text).toContain("больше не действует");
    await h.text(maria, "и ещё"); // the choice stays
    await deliver(h);
    const toCoord = h.calls.filter((c) => Number(c.payload.chat_id) === coord.id);
    expect(toCoord.map((c) => [c.method, String(c.payload.text ?? c.payload.caption)])).toEqual([
      ["sendMessage", `💬 <b>#${c1!.number}</b> · Заявитель\nпо выплате`],
      ["sendPhoto", `💬 <b>#${c1!.number}</b> · Заявитель`],
      ["sendMessage", `💬 <b>#${c1!.number}</b> · Заявитель\nи ещё`],
    ]);

    // A reply to the coordinator's message in the other request goes to that one.
    await h.press(coord, `case:reply:${c2!.id}`);
    await h.text(coord, "по второму вопросу");
    await deliver(h);
    const relayed = h.sentTo(maria.id).find((c) => String(c.payload.text).includes("по второму вопросу"))!;
    await h.send(h.message(maria, { text: "спасибо", reply_to_message: { message_id: h.lastMessageIdOf(relayed), date: 0, chat: { id: maria.id, type: "private", first_name: "x" } } as never }));
    expect(h.lastText(maria.id)).toBe(`✓ Передано координатору (#${c2!.number}).`);

    // Someone else's request cannot be chosen with a forged button.
    const olga = await family(h, 7126);
    await ask(h, olga, "моё");
    await ask(h, olga, "моё второе");
    await h.text(olga, "вопрос");
    h.clear();
    await h.press(olga, `mycase:to:${c1!.id}`);
    expect(h.answers().at(-1)!.payload.text).toContain("больше не действует");
    expect(await db.prisma.caseMessage.count({ where: { text: "вопрос" } })).toBe(0);
    // /cancel drops what was held: choosing afterwards sends nothing.
    await h.command(olga, "cancel");
    expect(h.lastText(olga.id)).toContain("Действие отменено");
    const [o1] = await db.prisma.case.findMany({ where: { requester: { telegramId: BigInt(olga.id) } } });
    await h.press(olga, `mycase:to:${o1!.id}`);
    expect(await db.prisma.caseMessage.count({ where: { text: "вопрос" } })).toBe(0);
  });

  it("a description of several messages with a photo and a document; other kinds refused; files reach the coordinator on Take", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7120);
    await h.press(maria, "menu:ask");
    await h.press(maria, "form:cat:documents");
    await h.text(maria, "Нужна справка.");
    await h.send(h.message(maria, { photo: [{ file_id: "small", file_unique_id: "s", width: 1, height: 1 }, { file_id: "PHOTO-BIG", file_unique_id: "b", width: 9, height: 9 }], caption: "Вот фото" }));
    await h.send(h.message(maria, { document: { file_id: "DOC-1", file_unique_id: "d", file_name: "spravka.pdf" } }));
    await h.send(h.message(maria, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } } as never));
    expect(h.lastText(maria.id)).toContain("Можно отправлять текст, голосовые, видео, фото и документы");
    await h.text(maria, "я".repeat(3990));
    expect(h.lastText(maria.id)).toContain("не больше 4000 символов");
    await h.press(maria, "form:done");
    await h.press(maria, "form:urgency:urgent");
    expect(h.lastText(maria.id)).toContain("<b>Файлов:</b> 2");
    await h.press(maria, "form:confirm");
    const c = await db.prisma.case.findFirstOrThrow({ include: { messages: { orderBy: { id: "asc" } } } });
    expect(c).toMatchObject({ category: "documents", urgency: "urgent", description: "Нужна справка.\nВот фото" });
    expect(c.messages.map((m) => [m.kind, m.fileId])).toEqual([["text", null], ["photo", "PHOTO-BIG"], ["document", "DOC-1"]]);
    await addCoordinator(db.prisma, { telegramId: 7001, regions: ["RU-TAM"], categories: ["documents"] });
    await escalateLapsed(db.prisma, h.deps.clock, caseSettings(h.deps.config)); // offered now that someone handles documents
    await h.press(coord, `case:take:${c.id}`);
    await deliver(h);
    expect(h.calls.filter((x) => x.method === "sendPhoto" || x.method === "sendDocument").map((x) => x.method)).toEqual(["sendPhoto", "sendDocument"]);
  });

  it("/mycases lists requests with statuses; the requester can cancel, and the coordinator is told", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7121);
    await h.command(maria, "mycases");
    expect(h.lastText(maria.id)).toContain("пока нет обращений");
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    await h.press(coord, `case:take:${c.id}`);
    await h.command(maria, "mycases");
    expect(h.lastText(maria.id)).toContain(`#${c.number} · Выплаты и льготы · в работе`);
    await h.press(maria, `mycase:cancel:${c.id}`);
    await h.press(maria, `mycase:cancelyes:${c.id}`);
    expect((await db.prisma.case.findFirstOrThrow()).status).toBe("cancelled");
    h.clear();
    await deliver(h);
    expect(h.lastText(coord.id)).toBe(`Обращение #${c.number}: отменено.`);
    expect((await db.prisma.coordinator.findFirstOrThrow()).openCases).toBe(0);
  });

  it("/queue shows urgent first; /duty mutes new pings; /note keeps an internal note the requester never sees", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7122);
    await ask(h, maria, "обычное", "normal");
    await ask(h, maria, "срочное", "urgent");
    const [normal, urgent] = await db.prisma.case.findMany({ orderBy: { id: "asc" } });
    await h.command(coord, "queue");
    expect(Harness.buttons(h.last(coord.id)).map((b) => b[1])).toEqual([`case:open:${urgent!.number}`, `case:open:${normal!.number}`]);
    await h.command(coord, "note", `${normal!.number} позвонить в соцзащиту`);
    expect(h.lastText(coord.id)).toContain("Заметка к");
    await h.command(coord, "duty");
    expect(h.lastText(coord.id)).toContain("не на смене");
    await ask(h, maria, "третье", "normal");
    const third = await db.prisma.case.findFirstOrThrow({ where: { description: "третье" } });
    expect(third).toMatchObject({ status: "new", coordinatorId: null });
    await deliver(h);
    expect(h.texts(maria.id).join()).not.toContain("позвонить");
    const note = await db.prisma.caseMessage.findFirstOrThrow({ where: { author: "note" } });
    expect(note.text).toBe("позвонить в соцзащиту");
  });

  it("a supervisor of the region reassigns a case to another coordinator, who is pinged", async () => {
    await coordinator(h, db, 7001);
    const b = await coordinator(h, db, 7002);
    const sup = await coordinator(h, db, 7009, { supervisor: true, categories: [] });
    const maria = await family(h, 7123);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    const bId = (await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: 7002n } })).id;
    await h.command(sup, "case", c.number);
    expect(Harness.buttons(h.last(sup.id)).map((x) => x[1])).toContain(`case:reassign:${c.id}`);
    await h.press(sup, `case:reassign:${c.id}`);
    await h.press(sup, `case:to:${c.id}:${bId}`);
    expect((await db.prisma.case.findFirstOrThrow()).coordinatorId).toBe(bId);
    await deliver(h);
    expect(h.lastText(b.id)).toContain(`#${c.number}`);
    // A coordinator who is not a supervisor cannot.
    await h.press(b, `case:to:${c.id}:1`);
    expect(h.answers().at(-1)!.payload.text).toBe("Это действие вам недоступно.");
  });

  it("/mydata lists the person's requests; /deleteme cancels open ones, erases what they wrote and frees the coordinator", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7130);
    await ask(h, maria, "Личная история о выплате");
    const c = await db.prisma.case.findFirstOrThrow();
    await h.press(coord, `case:take:${c.id}`);
    await h.text(maria, "мой новый адрес: ул. Ленина 1");
    await h.command(maria, "mydata");
    const doc = h.calls.filter((x) => x.method === "sendDocument").at(-1)!;
    const json = JSON.parse(doc.payload.multipart.slice(doc.payload.multipart.indexOf("{"), doc.payload.multipart.lastIndexOf("}") + 1));
    expect(json["Обращения"][0]).toMatchObject({ "Номер": `#${c.number}`, "Тема": "Выплаты и льготы", "Статус": "в работе" });
    expect(json["Обращения"][0]["Что вы писали"]).toEqual(["Личная история о выплате", "мой новый адрес: ул. Ленина 1"]);
    await h.command(maria, "deleteme");
    await h.press(maria, "erase:yes");
    const after = await db.prisma.case.findFirstOrThrow({ include: { messages: true } });
    expect(after).toMatchObject({ status: "cancelled", description: null, category: "payments", regionCode: "RU-TAM" });
    expect(after.messages.every((m) => m.author !== "requester" || m.text === null)).toBe(true);
    expect((await db.prisma.coordinator.findFirstOrThrow()).openCases).toBe(0);
    const unsent = await db.prisma.outbox.count({ where: { chatId: 7130n, sentAt: null } });
    expect(unsent).toBe(0);
    const dump = JSON.stringify(await db.prisma.caseMessage.findMany()) + JSON.stringify(await db.prisma.case.findMany(), (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(dump).not.toMatch(/Ленина|Личная история/);
  });
});
