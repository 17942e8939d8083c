// An organiser's tools in the bot (/organise): creating an event in a conversation with a preview
// and publishing it; editing its time (everyone signed up is told); approving and rejecting from the
// list; marking attendance from the list; importing attendance from a CSV document; writing to all
// participants through the outbox; and refusals of forged presses and overlong input.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";
import { fakeFiles } from "../helpers/fake-telegram.js";
import { graduate } from "../helpers/people.js";
import { createEvent, publishEvent, type NewEvent } from "../../src/services/events/organise.js";
import { visibleLength } from "../../src/services/text.js";

const START = new Date("2026-12-10T07:00:00Z"); // 10:00 in Moscow

describe("organiser tools in the bot", () => {
  let db: TestDb;
  let h: Harness;
  let now: Date;
  let coordinatorId: number;
  let org: User;
  const event = async (over: Partial<NewEvent> = {}) => {
    const made = await createEvent(db.prisma, () => now, { code: `ev${Math.random().toString(36).slice(2, 8)}`, kind: "camp", title: { ru: "Летний выезд" }, timeZone: "Europe/Moscow", startsAt: START, endsAt: new Date(START.getTime() + 32 * 3_600_000), place: "Липецк", capacity: 10, ...over }, { coordinatorId });
    const id = (made as { id: number }).id;
    await publishEvent(db.prisma, () => now, id, { coordinatorId });
    return id;
  };
  /** Signs a registered person up through the bot (the event's questions: none). */
  const join = async (u: User, id: number) => {
    await h.press(u, `ev:join:${id}`);
    await h.press(u, "form:confirm");
  };
  const lastAnswer = () => String(h.answers().at(-1)?.payload.text ?? "");
  /** What the person sees last: a new message or a screen edited in place (lists change in place). */
  const screen = (id: number) => h.calls.filter((c) => (c.method === "sendMessage" || c.method === "editMessageText") && Number(c.payload.chat_id) === id).at(-1);
  const screenText = (id: number) => String(screen(id)?.payload.text ?? "");
  beforeEach(async () => {
    db = await sqliteTestDb();
    now = new Date("2026-12-01T09:00:00Z");
    h = await harness(db, { clock: () => now });
    coordinatorId = (await db.prisma.coordinator.create({ data: { telegramId: 8001n, categories: "", organiser: true } })).id;
    org = await h.member(8001);
  });
  afterEach(async () => db.dispose());

  it("creates an event in a conversation, sees the preview, publishes it; a graduate finds it in /events", async () => {
    await h.command(org, "organise");
    expect(h.lastText(org.id)).toContain("У вас пока нет мероприятий");
    await h.press(org, "org:new");
    expect(h.lastText(org.id)).toContain("Как называется мероприятие?");
    await h.text(org, "Школа социальных координаторов");
    await h.press(org, "form:ed:none"); // no English title
    await h.press(org, "form:ed:none"); // no Lithuanian title
    await h.text(org, "Три занятия о мерах поддержки семей.");
    await h.press(org, "form:ed:kind:seminar");
    await h.press(org, "form:ed:tz");
    await h.text(org, "31.11.2026 10:00"); // no such day
    expect(h.lastText(org.id)).toContain("Такой даты или времени нет");
    await h.text(org, "завтра");
    expect(h.lastText(org.id)).toContain("Не понял дату");
    await h.text(org, "10.12.2026 10:00");
    await h.text(org, "10.12.2026 09:00");
    expect(h.lastText(org.id)).toContain("Окончание должно быть позже начала");
    await h.text(org, "10.12.2026 17:00");
    await h.text(org, "Тамбов, ул. Ленина, 1");
    await h.press(org, "form:ed:none"); // no online link
    await h.text(org, "RU-TAM, XX-YY");
    expect(h.lastText(org.id)).toContain("Не знаю таких кодов регионов: XX-YY");
    await h.text(org, "ru-tam");
    await h.press(org, "form:ed:aud:graduate");
    await h.press(org, "form:ed:aud:done");
    await h.press(org, "form:ed:none"); // no age limits
    await h.text(org, "0");
    expect(h.lastText(org.id)).toContain("Напишите число мест");
    await h.text(org, "20");
    await h.press(org, "form:ed:none"); // sign-up until the start
    await h.press(org, "form:ed:no");
    const preview = h.lastText(org.id);
    expect(preview).toContain("Так мероприятие увидят участники");
    expect(preview).toContain("<b>Школа социальных координаторов</b>");
    expect(preview).toContain("Семинар · 10 декабря, 10:00–17:00 · Тамбов, ул. Ленина, 1");
    expect(preview).toContain("Осталось 20 мест из 20");
    expect(preview).toContain("Регионы: RU-TAM");
    expect(preview).toContain("Для кого: выпускник(-ца) детского дома");
    expect(await db.prisma.event.count()).toBe(0); // nothing saved before the organiser says so
    await h.press(org, "form:ed:pub");
    expect(h.lastText(org.id)).toContain("создано и опубликовано");
    const e = await db.prisma.event.findFirstOrThrow();
    expect(e).toMatchObject({ status: "published", kind: "seminar", regions: "RU-TAM", audience: "graduate", capacity: 20, createdBy: coordinatorId, timeZone: "Europe/Moscow", startsAt: START });
    const g = await graduate(h, 7601);
    await h.command(g, "events");
    expect(Harness.buttons(h.last(g.id)).map((b) => b[1])).toContain(`ev:open:${e.id}`);
    // The organiser's list has it, and its panel the deep link.
    await h.command(org, "organise");
    expect(Harness.buttons(screen(org.id))[0]![1]).toBe(`org:ev:${e.id}`);
    await h.press(org, `org:ev:${e.id}`);
    expect(screenText(org.id)).toContain(`https://t.me/support_test_bot?start=ev_${e.code}`);
  });

  it("editing a published event's time tells everyone signed up, and reminders follow the new time", async () => {
    const id = await event();
    const g = await graduate(h, 7602);
    await join(g, id);
    await h.deliver();
    h.clear();
    await h.press(org, `org:edit:${id}`);
    expect(h.lastText(org.id)).toContain("Так мероприятие увидят участники");
    await h.press(org, "form:ed:f:starts");
    await h.text(org, "12.12.2026 10:00");
    await h.press(org, "form:ed:save");
    // The end is now before the start: the event file's rule says so, nothing is saved.
    expect(h.lastText(org.id)).toContain("Окончание: должно быть позже начала");
    expect((await db.prisma.event.findUniqueOrThrow({ where: { id } })).startsAt).toEqual(START);
    await h.press(org, "form:ed:f:ends");
    await h.text(org, "13.12.2026 17:00");
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Изменения сохранены");
    expect((await db.prisma.event.findUniqueOrThrow({ where: { id } })).startsAt).toEqual(new Date("2026-12-12T07:00:00Z"));
    await h.deliver();
    expect(h.texts(g.id).filter((t) => t.startsWith("✏️ В мероприятии изменилось время или место"))).toHaveLength(1);
    expect(h.texts(g.id).find((t) => t.startsWith("✏️"))).toContain("12–13 декабря");
    const moved = new Date("2026-12-12T07:00:00Z").getTime();
    expect(await db.prisma.scheduledJob.count({ where: { kind: "reminder", key: { endsWith: `:${moved}` } } })).toBe(2);
  });

  it("approves and rejects sign-ups from the list; the list shows the waiting list in line order", async () => {
    const id = await event({ needsApproval: true, capacity: 1 });
    const a = await graduate(h, 7603, "12.05.2004", "Анна Первая");
    const b = await graduate(h, 7604, "12.05.2004", "Борис Второй");
    await join(a, id);
    await join(b, id);
    const [ea, eb] = await db.prisma.enrolment.findMany({ orderBy: { id: "asc" } });
    expect([ea!.status, eb!.status]).toEqual(["pending_approval", "waiting"]);
    await h.press(org, `org:su:${id}:p:0`);
    expect(screenText(org.id)).toContain(`1. Анна Первая — №${ea!.id}`);
    await h.press(org, `org:su:${id}:w:0`);
    expect(screenText(org.id)).toContain(`1. Борис Второй — №${eb!.id}`);
    await h.press(org, `org:su:${id}:p:0`);
    expect(Harness.buttons(screen(org.id)).map((x) => x[1])).toContain(`org:no:${id}:${ea!.id}`);
    await h.press(org, `org:no:${id}:${ea!.id}`);
    expect(lastAnswer()).toBe("Заявка отклонена.");
    // The seat went to the next in line, who accepts; then approving them is the organiser's.
    expect((await db.prisma.enrolment.findUniqueOrThrow({ where: { id: eb!.id } })).status).toBe("offered");
    await h.deliver();
    const offer = h.sentTo(b.id).find((c) => String(c.payload.text).startsWith("🎟"))!;
    await h.press(b, `ev:acc:${eb!.id}`, h.lastMessageIdOf(offer));
    await h.press(org, `org:ok:${id}:${eb!.id}`);
    expect(lastAnswer()).toBe("Заявка подтверждена.");
    await h.press(org, `org:ok:${id}:${eb!.id}`); // a double press
    expect(lastAnswer()).toContain("уже");
    expect((await db.prisma.enrolment.findMany({ orderBy: { id: "asc" } })).map((e) => e.status)).toEqual(["rejected", "confirmed"]);
  });

  it("marks attendance per day from the list: a tap marks, a stale double tap marks once, unmark takes it off", async () => {
    const id = await event();
    const g = await graduate(h, 7605);
    await join(g, id);
    const enr = await db.prisma.enrolment.findFirstOrThrow();
    now = new Date(START.getTime() + 3_600_000);
    await h.press(org, `org:att:${id}:0:0`);
    expect(screenText(org.id)).toContain("посещение за 2026-12-10: отмечено 0 из 1");
    const mark = Harness.buttons(screen(org.id)).find((x) => x[1].startsWith("org:mark:"))!;
    expect(mark).toEqual([`⬜️ Петров Иван №${enr.id}`, `org:mark:${id}:0:${enr.id}:m:0`]);
    await h.press(org, mark[1]);
    await h.press(org, mark[1]); // the same button again before the screen changed
    expect(await db.prisma.attendance.findMany({ select: { day: true } })).toEqual([{ day: "2026-12-10" }]);
    const edited = h.calls.filter((c) => c.method === "editMessageText").at(-1)!;
    expect(String(edited.payload.text)).toContain("отмечено 1 из 1");
    // The second day of the camp, then a mistake taken back.
    await h.press(org, `org:mark:${id}:1:${enr.id}:m:0`);
    await h.press(org, `org:mark:${id}:0:${enr.id}:u:0`);
    expect(await db.prisma.attendance.findMany({ select: { day: true } })).toEqual([{ day: "2026-12-11" }]);
  });

  it("imports attendance from a CSV document: good, duplicate and bad rows with line numbers; a second import marks nothing twice", async () => {
    const id = await event();
    const a = await graduate(h, 7606);
    const b = await graduate(h, 7607);
    await join(a, id);
    await join(b, id);
    const [ea, eb] = await db.prisma.enrolment.findMany({ orderBy: { id: "asc" } });
    const csv = `\uFEFFSign-up;Date\n${ea!.id};2026-12-10\n${ea!.id};10.12.2026\n${eb!.id};2026-12-11\nabc;2026-12-10\n99999;2026-12-10\n${eb!.id};2026-12-25\n`;
    fakeFiles.set("att-csv-1", csv);
    const send = async () => {
      await h.press(org, `org:imp:${id}`);
      expect(h.lastText(org.id)).toContain("Пришлите файл CSV");
      await h.send(h.message(org, { document: { file_id: "att-csv-1", file_unique_id: "u1", file_name: "att.csv", mime_type: "text/csv", file_size: csv.length } }));
      return h.lastText(org.id);
    };
    const first = await send();
    expect(first).toContain("Отмечено: 2, уже были отмечены: 1, не отмечено: 3.");
    expect(first).toContain("Строка 5: не понял номер записи или дату.");
    expect(first).toContain("Строка 6: такой записи на это мероприятие нет.");
    expect(first).toContain("Строка 7: это не день мероприятия.");
    expect(await db.prisma.attendance.count()).toBe(2);
    expect(await send()).toContain("Отмечено: 0, уже были отмечены: 3, не отмечено: 3.");
    expect(await db.prisma.attendance.count()).toBe(2);
    // Something else than a document is answered kindly, and the import still waits for the file.
    await h.press(org, `org:imp:${id}`);
    await h.text(org, "вот файл");
    expect(h.lastText(org.id)).toContain("Пришлите файл CSV документом");
  });

  it("writes to all participants: a count and a preview, one outbox row per participant, a re-delivered confirm adds none", async () => {
    const id = await event({ capacity: 2 });
    const people = [await graduate(h, 7608), await graduate(h, 7609), await graduate(h, 7610)];
    for (const u of people) await join(u, id);
    await h.deliver();
    h.clear();
    await h.press(org, `org:msg:${id}`);
    expect(Harness.buttons(h.last(org.id)).slice(0, 2)).toEqual([["Записанным (2)", "form:to:c"], ["Записанным и листу ожидания (3)", "form:to:w"]]);
    await h.press(org, "form:to:c");
    await h.text(org, "Сбор в 9:30 у <главного> входа.");
    expect(h.lastText(org.id)).toContain("Сообщение получат 2 человека");
    expect(h.lastText(org.id)).toContain("Сбор в 9:30 у &lt;главного&gt; входа.");
    const confirm = h.pressUpdate(org, "form:send");
    await h.send(confirm);
    expect(h.lastText(org.id)).toContain("поставлено в очередь для 2 человек");
    await h.send(confirm); // Telegram delivers the press again
    expect(await db.prisma.outbox.count({ where: { method: "event_message" } })).toBe(2);
    expect(await db.prisma.eventMessage.count()).toBe(1);
    const row = await db.prisma.outbox.findFirstOrThrow({ where: { method: "event_message" } });
    expect(row.payload).not.toContain("Сбор"); // ids only
    await h.deliver();
    for (const u of people.slice(0, 2)) expect(h.texts(u.id).some((t) => t.includes("Организаторы мероприятия «Летний выезд»") && t.includes("Сбор в 9:30"))).toBe(true);
    expect(h.texts(people[2]!.id)).toEqual([]);
  });

  it("refuses forged presses: someone who is not an organiser, and another organiser on this organiser's event", async () => {
    const id = await event({ needsApproval: true });
    const g = await graduate(h, 7611);
    await join(g, id);
    const enr = await db.prisma.enrolment.findFirstOrThrow();
    h.clear();
    for (const data of [`org:ev:${id}`, `org:su:${id}:c:0`, `org:ok:${id}:${enr.id}`, `org:att:${id}:0:0`, `org:mark:${id}:0:${enr.id}:m:0`, `org:msg:${id}`, `org:imp:${id}`, `org:edit:${id}`, `org:pub:${id}`, `org:fig:${id}`, "org:new"]) {
      await h.press(g, data);
      expect(lastAnswer()).toBe("Это не ваше мероприятие или у вас нет прав организатора.");
    }
    await h.command(g, "organise");
    expect(h.lastText(g.id)).toBe("Это не ваше мероприятие или у вас нет прав организатора.");
    expect(h.sentTo(g.id).length).toBe(1);
    await db.prisma.coordinator.create({ data: { telegramId: 8002n, categories: "", organiser: true } });
    const other = await h.member(8002);
    await h.press(other, `org:ok:${id}:${enr.id}`);
    await h.press(other, `org:su:${id}:p:0`);
    expect(lastAnswer()).toBe("Это не ваше мероприятие или у вас нет прав организатора.");
    // A sign-up of another event named under an event the presser organises changes nothing either.
    const mine = (await createEvent(db.prisma, () => now, { code: "other1", kind: "meeting", title: { ru: "Встреча" }, timeZone: "Europe/Moscow", startsAt: START, endsAt: new Date(START.getTime() + 3_600_000), place: "Тамбов" }, { coordinatorId: (await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: 8002n } })).id })) as { id: number };
    await h.press(other, `org:ok:${mine.id}:${enr.id}`);
    expect((await db.prisma.enrolment.findFirstOrThrow()).status).toBe("pending_approval");
    await h.command(other, "organise");
    expect(Harness.buttons(h.last(other.id)).map((b) => b[1])).not.toContain(`org:ev:${id}`);
    expect(await db.prisma.attendance.count()).toBe(0);
  });

  it("overlong input: a title at the limit is taken, one more is refused; the longest preview, list and message fit", async () => {
    await h.press(org, "org:new");
    await h.text(org, "Я".repeat(201));
    expect(h.lastText(org.id)).toContain("Слишком длинно: не больше 200");
    await h.text(org, "Я".repeat(200));
    await h.text(org, "E".repeat(200));
    await h.text(org, "L".repeat(200));
    await h.text(org, "Д".repeat(2501));
    expect(h.lastText(org.id)).toContain("не больше 2500");
    await h.text(org, "Д".repeat(2500));
    await h.press(org, "form:ed:kind:camp");
    await h.press(org, "form:ed:tz");
    await h.text(org, "10.12.2026 10:00");
    await h.text(org, "13.12.2026 17:00");
    await h.text(org, "М".repeat(200));
    await h.text(org, `https://example.org/${"x".repeat(470)}`);
    await h.press(org, "form:ed:all");
    await h.press(org, "form:ed:aud:graduate");
    await h.press(org, "form:ed:aud:family");
    await h.press(org, "form:ed:aud:service_member");
    await h.press(org, "form:ed:aud:done");
    await h.text(org, "16-23");
    await h.text(org, "100000");
    await h.text(org, "09.12.2026 23:59");
    await h.press(org, "form:ed:yes");
    expect(h.lastText(org.id)).toContain("Так мероприятие увидят участники");
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Черновик сохранён");
    const e = await db.prisma.event.findFirstOrThrow();
    expect(e).toMatchObject({ status: "draft", minAge: 16, maxAge: 23, needsApproval: true, capacity: 100000 });
    await publishEvent(db.prisma, () => now, e.id, { coordinatorId });
    // 20 people with the longest names the registration allows: the list page still fits.
    for (let i = 0; i < 21; i++) {
      const p = await db.prisma.person.create({ data: { telegramId: BigInt(900_000 + i), locale: "ru" } });
      await db.prisma.profile.create({ data: { personId: p.id, role: "graduate", regionCode: "RU-TAM", birthDate: "2006-01-01", fullName: "Щ".repeat(100), registeredAt: now } });
      await db.prisma.enrolment.create({ data: { eventId: e.id, personId: p.id, status: "confirmed", regionCode: "RU-TAM", role: "graduate", createdAt: now } });
    }
    await h.press(org, `org:su:${e.id}:c:0`);
    const list = screenText(org.id);
    expect(list).toContain("20. ");
    expect(visibleLength(list)).toBeLessThanOrEqual(4096);
    await h.press(org, `org:ev:${e.id}`);
    await h.press(org, `org:fig:${e.id}`);
    expect(screenText(org.id)).toContain("Записаны: 21");
    // A message at its limit: the preview and the notice fit one message each.
    await h.press(org, `org:msg:${e.id}`);
    await h.press(org, "form:to:c");
    await h.text(org, "С".repeat(3501));
    expect(h.lastText(org.id)).toContain("не больше 3500");
    await h.text(org, "С".repeat(3500));
    await h.press(org, "form:send");
    expect(h.lastText(org.id)).toContain("21 человека");
    const refused = h.calls.filter((c) => ["sendMessage", "editMessageText"].includes(c.method) && visibleLength(String(c.payload.text)) > 4096);
    expect(refused).toEqual([]);
  });
});
