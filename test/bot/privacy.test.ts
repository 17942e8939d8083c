// Personal data must really go: erasure reaches every table, withdrawal of consent stops
// everything, held messages and half-filled forms do not linger, ignored updates keep no text.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";
import { ask, coordinator, family } from "../helpers/people.js";
import { Prisma } from "../../src/generated/sqlite/client.js";
import { forgetOnSchedule } from "../../src/jobs/housekeeping.js";
import { receiveUpdates } from "../../src/services/delivery/updates.js";
import { createEvent, publishEvent } from "../../src/services/events/organise.js";

const MARIA = 918273; // a Telegram id no timestamp or other id can contain by chance
const SECRETS = ["Иванова", "79001234567", "тайна-описания", "тайна-сообщения", "тайна-последняя", "тайна-подпись", "ответ-марии"];

/** Every row of every table, as text: what a breach or a backup would show. */
async function everything(db: TestDb): Promise<string> {
  const dump: string[] = [];
  for (const model of Object.values(Prisma.ModelName)) {
    const delegate = (db.prisma as unknown as Record<string, { findMany(): Promise<unknown[]> }>)[model[0]!.toLowerCase() + model.slice(1)]!;
    dump.push(`${model}: ${JSON.stringify(await delegate.findMany(), (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
  }
  return dump.join("\n");
}

describe("privacy", () => {
  let db: TestDb;
  let h: Harness;
  let now: Date;
  beforeEach(async () => {
    db = await sqliteTestDb();
    now = new Date();
    h = await harness(db, { clock: () => now });
  });
  afterEach(async () => db.dispose());

  /** Maria's request, taken, with one message each way delivered. */
  async function talking() {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, MARIA);
    await ask(h, maria, "тайна-описания");
    await h.deliver();
    const c = await db.prisma.case.findFirstOrThrow();
    await h.press(coord, `case:take:${c.id}`);
    await h.text(maria, "тайна-сообщения");
    await h.send(h.message(maria, { photo: [{ file_id: "ph-maria", file_unique_id: "u", width: 1, height: 1 }], caption: "тайна-подпись" }));
    await h.text(coord, "ответ-марии");
    await h.deliver();
    return { coord, maria, c };
  }

  it("/deleteme: nothing she wrote and nothing linking to her Telegram account is left in any table, and nothing queued is delivered", async () => {
    const { coord, maria, c } = await talking();
    expect(await everything(db)).toContain(String(MARIA)); // the scan does see her before
    await h.text(maria, "тайна-последняя"); // written just before erasure, not yet delivered
    h.clear();
    await h.command(maria, "deleteme");
    await h.press(maria, "erase:yes");
    await h.deliver();

    const toCoord = h.calls.filter((x) => Number(x.payload.chat_id) === coord.id).map((x) => String(x.payload.text ?? x.payload.caption));
    expect(toCoord).toEqual([`Обращение #${c.number} закрыто: человек удалил свои данные. Переписка по обращению удалена, писать ему через бот больше нельзя.`]);
    const dump = await everything(db);
    for (const secret of [...SECRETS, String(MARIA), "ph-maria"]) expect(dump, secret).not.toContain(secret);
    // What stays is anonymous: the case with its category and times, the profile's role and region.
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "cancelled", category: "payments", regionCode: "RU-TAM", description: null });
    expect(await db.prisma.profile.findFirstOrThrow()).toMatchObject({ role: "family", regionCode: "RU-TAM", fullName: null });
    expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: BigInt(coord.id) } })).openCases).toBe(0);
  });

  it("/deleteme after a request without a profile: the call-back number, voice messages, corrections and the coordinator's first name go too", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await h.member(MARIA);
    await h.press(maria, "menu:ask");
    await h.press(maria, "form:cat:payments");
    await h.send(h.message(maria, { voice: { file_id: "voice-maria", file_unique_id: "v", duration: 3 }, caption: "тайна-подпись" }));
    await h.press(maria, "form:done");
    await h.press(maria, "form:urgency:normal");
    await h.text(maria, "тамб");
    await h.press(maria, "form:region:RU-TAM");
    await h.text(maria, "+79001234567");
    await h.press(maria, "form:confirm");
    const c = await db.prisma.case.findFirstOrThrow();
    await h.press(coord, `case:take:${c.id}`);
    const m = await h.text(maria, "тайна-сообщения");
    await h.send({ update_id: 770001, edited_message: { ...m.message!, edit_date: 5, text: "тайна-последняя" } } as never);
    await h.deliver();
    expect(await everything(db)).toContain("тайна-последняя");
    await h.command(maria, "deleteme");
    await h.press(maria, "erase:yes");
    // The coordinator erases their own data too: the first name requesters were told goes.
    expect((await db.prisma.coordinator.findFirstOrThrow()).firstName).toBe("Person7001");
    await h.command(coord, "deleteme");
    await h.press(coord, "erase:yes");
    const dump = await everything(db);
    for (const secret of [...SECRETS, String(MARIA), "voice-maria", "Person7001"]) expect(dump, secret).not.toContain(secret);
  });

  it("/deleteme of an administrator who sent an announcement: the announcement no longer links to her", async () => {
    h = await harness(db, { clock: () => now, env: { ADMIN_TELEGRAM_IDS: String(MARIA) } });
    const maria = await family(h, MARIA);
    await family(h, 8801);
    await h.command(maria, "broadcast");
    await h.press(maria, "bc:aud:family");
    await h.text(maria, "тайна-объявления");
    await h.press(maria, Harness.buttons(h.last(MARIA))[0]![1]);
    await h.deliver();
    expect(await everything(db)).toContain(String(MARIA));
    await h.command(maria, "deleteme");
    await h.press(maria, "erase:yes");
    const dump = await everything(db);
    for (const secret of [String(MARIA), "тайна-объявления"]) expect(dump, secret).not.toContain(secret);
    expect(await db.prisma.announcement.findFirstOrThrow()).toMatchObject({ createdBy: null, sourceChatId: null, progressChatId: null, total: 2 });
  });

  it("/deleteme of an organiser who wrote to participants and moved a published event: no key of hers is left", async () => {
    h = await harness(db, { clock: () => now, env: { ADMIN_TELEGRAM_IDS: String(MARIA) } });
    const maria = await family(h, MARIA);
    const start = new Date(now.getTime() + 10 * 86_400_000);
    const made = (await createEvent(db.prisma, () => now, { code: "camp-p", kind: "camp", title: { ru: "Выезд" }, timeZone: "Europe/Moscow", startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), place: "Тамбов", capacity: 5 }, { coordinatorId: 0, admin: true })) as { id: number };
    await publishEvent(db.prisma, () => now, made.id, { coordinatorId: 0, admin: true });
    const g = await family(h, 8802);
    await h.press(g, `ev:join:${made.id}`);
    await h.press(maria, `org:msg:${made.id}`);
    await h.press(maria, "form:to:c");
    await h.text(maria, "тайна-организатора");
    await h.press(maria, "form:send");
    await h.press(maria, `org:edit:${made.id}`);
    await h.press(maria, "form:ed:f:place");
    await h.text(maria, "Липецк");
    await h.press(maria, "form:ed:save");
    await h.press(maria, `org:edit:${made.id}`);
    await h.press(maria, "form:ed:f:place");
    await h.text(maria, "Воронеж");
    await h.press(maria, "form:ed:save"); // the second notice waits in the outbox
    await h.deliver(2);
    const before = await everything(db);
    expect(before).toContain(`c:${MARIA}:`); // the message's key and the notices' keys
    expect(await db.prisma.outbox.count({ where: { key: { contains: `c:${MARIA}:` }, chatId: BigInt(g.id) } })).toBe(2);
    await h.command(maria, "deleteme");
    await h.press(maria, "erase:yes");
    expect(await everything(db)).not.toContain(String(MARIA));
    // The participant still gets what was queued, once; the message and notices stay counted.
    await h.deliver();
    expect(h.texts(g.id).filter((t) => t.startsWith("✏️"))).toHaveLength(2);
    expect(await db.prisma.eventMessage.findFirstOrThrow()).toMatchObject({ recipients: 1, createdBy: null });
    expect(await db.prisma.outbox.count({ where: { chatId: BigInt(g.id), key: { startsWith: "erased-key:" } } })).toBe(2);
  });

  it("delivered notices are pruned on a schedule (a week), undelivered ones are kept", async () => {
    const { coord } = await talking();
    const sent = await db.prisma.outbox.count({ where: { sentAt: { not: null } } });
    expect(sent).toBeGreaterThan(0);
    await db.prisma.outbox.create({ data: { key: "later", chatId: BigInt(coord.id), method: "status", payload: "{}", nextAttemptAt: new Date(now.getTime() + 1e9), createdAt: now } });
    now = new Date(now.getTime() + 6 * 86_400_000);
    await forgetOnSchedule(h.deps);
    expect(await db.prisma.outbox.count({ where: { sentAt: { not: null } } })).toBe(sent);
    now = new Date(now.getTime() + 2 * 86_400_000);
    await forgetOnSchedule(h.deps);
    expect(await db.prisma.outbox.count({ where: { sentAt: { not: null } } })).toBe(0);
    expect(await db.prisma.outbox.count({ where: { key: "later" } })).toBe(1);
  });

  it("withdrawing consent closes her open requests, tells the coordinator why, and nothing more reaches her", async () => {
    const { coord, maria, c } = await talking();
    await ask(h, maria, "второй вопрос"); // a second request, pinged but not yet delivered
    const second = await db.prisma.case.findFirstOrThrow({ where: { id: { not: c.id } } });
    await h.text(coord, "ещё ответ, пока не доставлен");
    h.clear();
    await h.command(maria, "privacy");
    await h.press(maria, "privacy:withdraw");
    expect(h.lastText(maria.id)).toContain("закроет ваши открытые обращения");
    await h.press(maria, "privacy:withdraw:yes");
    expect(h.lastText(maria.id)).toContain("Открытые обращения закрыты");
    h.clear();
    await h.deliver();
    expect(h.sentTo(maria.id)).toEqual([]);
    expect(h.texts(coord.id)).toEqual([`Обращение #${c.number} закрыто: человек отозвал согласие на обработку персональных данных. Писать ему через бот больше нельзя.`]);
    expect((await db.prisma.case.findMany({ orderBy: { id: "asc" } })).map((x) => x.status)).toEqual(["cancelled", "cancelled"]);
    expect((await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: BigInt(coord.id) } })).openCases).toBe(0);
    expect(await db.prisma.outbox.count({ where: { caseId: second.id, method: "ping", sentAt: { not: null } } })).toBe(0);
    h.clear();
    // She is gone from the bot: the coordinator answering her relayed message is told the request is closed.
    const copy = (await db.prisma.caseMessage.findFirstOrThrow({ where: { caseId: c.id, author: "requester", relayedMessageId: { not: null } } })).relayedMessageId!;
    await h.send(h.message(coord, { text: "вы здесь?", reply_to_message: { message_id: copy, date: 0, chat: { id: coord.id, type: "private", first_name: "c" } } as never }));
    expect(h.lastText(coord.id)).toBe(`Обращение #${c.number} закрыто — сообщение не отправлено.`);
    await h.deliver();
    expect(h.sentTo(maria.id)).toEqual([]);
  });

  it("messages held for 'which request?' are kept in the database, not the session, and cleared with consent", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, MARIA);
    await ask(h, maria, "первое");
    await ask(h, maria, "второе");
    for (const c of await db.prisma.case.findMany()) await h.press(coord, `case:take:${c.id}`);
    await h.text(maria, "тайна-сообщения");
    expect(h.lastText(maria.id)).toContain("несколько открытых обращений");
    expect(JSON.stringify(await db.prisma.session.findMany())).not.toContain("тайна");
    expect(await db.prisma.heldMessage.count()).toBe(1);
    await h.command(maria, "privacy");
    await h.press(maria, "privacy:withdraw");
    await h.press(maria, "privacy:withdraw:yes");
    expect(await db.prisma.heldMessage.count()).toBe(0);
  });

  it("a half-filled form is forgotten after FORM_EXPIRY_DAYS (default 30), as the consent text says", async () => {
    const u = await h.member(MARIA);
    await h.press(u, "menu:profile");
    await h.press(u, "reg:role:family");
    await h.text(u, "Иванова Мария");
    const forms = () => db.prisma.session.count({ where: { key: { startsWith: "conversation:" }, value: { contains: "Иванова" } } });
    expect(await forms()).toBe(1);
    await db.prisma.heldMessage.create({ data: { chatId: BigInt(MARIA), payload: "{}", createdAt: now } });
    now = new Date(now.getTime() + 29 * 86_400_000);
    await forgetOnSchedule(h.deps);
    expect(await forms()).toBe(1);
    now = new Date(now.getTime() + 2 * 86_400_000);
    await forgetOnSchedule(h.deps);
    expect(await forms()).toBe(0);
    expect(await db.prisma.heldMessage.count()).toBe(0);
    h.clear();
    await h.command(u, "privacy");
    expect(h.lastText(u.id)).toContain("незаконченная анкета — 30 дн.");
  });

  it("updates the bot ignores (group chatter fetched by polling) keep no text and are not replayed", async () => {
    const group = { update_id: 555, message: { message_id: 1, date: 1, chat: { id: -100, type: "group" as const, title: "g" }, from: { id: MARIA, is_bot: false, first_name: "M" }, text: "тайна-сообщения в группе" } };
    await receiveUpdates(db.prisma, [group], now);
    expect(await db.prisma.inboxUpdate.findUniqueOrThrow({ where: { updateId: 555n } })).toMatchObject({ payload: null, handledAt: now });
    h.clear();
    await h.restart();
    expect(h.calls).toEqual([]);
  });
});
