// Trainings and events through the bot: the catalogue, a deep link, signing up with the
// organiser's questions, the waiting list's offer (Accept), the confirmation with its calendar
// file, a reminder, /myevents and cancelling; an organiser's approval of a minor.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness, TOKEN } from "../helpers/harness.js";
import { checkinPayload } from "../../src/bot/features/events/checkin.js";
import { createEvent, publishEvent, type NewEvent } from "../../src/services/events/organise.js";
import { runDueJobs } from "../../src/services/events/runner.js";
import { DEFAULT_EVENT_SETTINGS } from "../../src/services/events/settings.js";
import { graduate } from "../helpers/people.js";

const START = new Date("2026-12-10T07:00:00Z"); // 10:00 in Moscow

describe("events in the bot", () => {
  let db: TestDb;
  let h: Harness;
  let now: Date;
  let organiserId: number;
  const event = async (over: Partial<NewEvent> = {}) => {
    const made = await createEvent(db.prisma, () => now, { code: "camp27", kind: "camp", title: { ru: "Летний выезд", en: "Summer camp" }, description: { ru: "Четыре дня тренингов." }, timeZone: "Europe/Moscow", startsAt: START, endsAt: new Date(START.getTime() + 3 * 86_400_000 + 8 * 3_600_000), place: "Липецк, ул. Советская, 1", capacity: 1, ...over }, { coordinatorId: organiserId });
    if (!("id" in (made as object))) throw new Error(JSON.stringify(made));
    await publishEvent(db.prisma, () => now, (made as { id: number }).id, { coordinatorId: organiserId });
    return (made as { id: number }).id;
  };
  beforeEach(async () => {
    db = await sqliteTestDb();
    now = new Date("2026-12-01T09:00:00Z");
    h = await harness(db, { clock: () => now });
    organiserId = (await db.prisma.coordinator.create({ data: { telegramId: 8001n, categories: "", organiser: true } })).id;
  });
  afterEach(async () => db.dispose());

  it("catalogue → card with dates in the person's words and seats left → sign up with a question → confirmed, with a calendar file", async () => {
    const id = await event({ capacity: 12, questions: [{ id: "size", type: "choice", label: { ru: "Размер футболки" }, options: ["S", "M", "L"], required: true }] });
    const u = await graduate(h, 7401);
    await h.press(u, "menu:events");
    expect(Harness.buttons(h.last(u.id))[0]).toEqual(["Летний выезд · 10–13 декабря, 10:00", `ev:open:${id}`]);
    await h.press(u, `ev:open:${id}`);
    const card = String(h.lastText(u.id));
    expect(card).toContain("<b>Летний выезд</b>");
    expect(card).toContain("Выезд · 10–13 декабря, 10:00 · Липецк, ул. Советская, 1");
    expect(card).toContain("Осталось 12 мест из 12");
    await h.press(u, `ev:join:${id}`);
    expect(h.lastText(u.id)).toBe("Размер футболки");
    await h.press(u, "form:q:0:1");
    await h.press(u, "form:confirm");
    expect(h.lastText(u.id)).toContain("✅ Вы записаны!");
    const e = await db.prisma.enrolment.findFirstOrThrow();
    expect(e).toMatchObject({ status: "confirmed", answers: JSON.stringify({ size: "M" }) });
    await h.deliver();
    const ics = h.sentTo(u.id, "sendDocument")[0]!;
    expect(String(ics.payload.caption)).toContain("Вы записаны: <b>Летний выезд</b>");
    expect(String(ics.payload.multipart)).toContain("BEGIN:VCALENDAR");
    expect(String(ics.payload.multipart)).toContain("Europe/Moscow");
    // Reminders go once, also when the job runs twice (a restart between due time and send).
    now = new Date(START.getTime() - 23 * 3_600_000);
    await runDueJobs(db.prisma, () => now, DEFAULT_EVENT_SETTINGS);
    await runDueJobs(db.prisma, () => now, DEFAULT_EVENT_SETTINGS);
    await h.deliver();
    expect(h.texts(u.id).filter((t) => t.startsWith("⏰ Напоминание: до начала 24 часа."))).toHaveLength(1);
  });

  it("a deep link opens the event after first contact; full → waiting list with position → a seat frees → Accept", async () => {
    const id = await event({ capacity: 1 });
    const first = await graduate(h, 7402);
    await h.press(first, `ev:join:${id}`);
    await h.press(first, "form:confirm");
    const second = h.user(7403);
    await h.command(second, "start", "ev_camp27");
    await h.press(second, "lang:ru");
    await h.press(second, "consent:yes");
    expect(h.texts(second.id).some((t) => t.includes("<b>Летний выезд</b>"))).toBe(true);
    await graduate(h, 7403);
    await h.press(second, `ev:join:${id}`);
    await h.press(second, "form:confirm");
    expect(h.lastText(second.id)).toContain("вы в листе ожидания, место 1");
    await h.command(second, "myevents");
    expect(h.lastText(second.id)).toContain("Вы в листе ожидания (место 1)");
    // The first cancels; the second is offered the seat, accepts it.
    await h.command(first, "myevents");
    await h.press(first, Harness.buttons(h.last(first.id)).find((b) => b[1].startsWith("ev:cancel:"))![1]);
    await h.deliver();
    const offer = h.sentTo(second.id).find((c) => String(c.payload.text).startsWith("🎟 Освободилось место"))!;
    const accept = Harness.buttons(offer).find((b) => b[1].startsWith("ev:acc:"))!;
    await h.press(second, accept[1], h.lastMessageIdOf(offer));
    await h.press(second, accept[1], h.lastMessageIdOf(offer)); // a double press
    expect((await db.prisma.enrolment.findMany({ orderBy: { id: "asc" } })).map((e) => e.status)).toEqual(["cancelled", "confirmed"]);
  });

  it("someone under 18 gives a guardian's contact and waits for the organiser, who approves", async () => {
    const id = await event({ capacity: 5 });
    const teen = await graduate(h, 7404, "01.03.2010");
    // Until a coordinator confirms her representative's consent, no sign-up.
    await h.press(teen, `ev:join:${id}`);
    expect(h.lastText(teen.id)).toContain("координатор подтвердит согласие");
    expect(await db.prisma.enrolment.count()).toBe(0);
    await h.press(teen, "guardian:ask");
    await h.text(teen, "Петрова Анна");
    await h.text(teen, "без контакта");
    expect(h.lastText(teen.id)).toContain("телефон");
    await h.text(teen, "+79001112233");
    expect(h.lastText(teen.id)).toContain("Координатор свяжется с Петрова Анна");
    await h.deliver();
    const pending = h.sentTo(8001).find((c) => String(c.payload.text).includes("Согласие представителя"))!;
    expect(pending.payload.text).toContain("Петрова Анна, +79001112233");
    const confirm = Harness.buttons(pending).find((b) => b[1].startsWith("guardian:ok:"))![1];
    // Only someone who may confirm: the teen herself (forging the button) is refused.
    await h.press(teen, confirm);
    expect(h.answers().at(-1)!.payload.text).toBe("Это действие вам недоступно.");
    expect((await db.prisma.profile.findFirstOrThrow({ where: { guardianName: { not: null } } })).guardianConfirmedAt).toBeNull();
    const organiser = await h.member(8001);
    await h.press(organiser, confirm);
    await h.press(organiser, confirm); // a double press changes nothing
    expect(h.texts(8001).filter((t) => t.includes("Согласие представителя подтверждено"))).toHaveLength(1);
    await h.deliver();
    expect(h.lastText(teen.id)).toContain("Координатор подтвердил согласие вашего представителя");
    await h.press(teen, `ev:join:${id}`);
    expect(h.lastText(teen.id)).toContain("нужен контакт родителя");
    await h.text(teen, "Петрова Анна, +79001112233");
    await h.press(teen, "form:confirm");
    expect(h.lastText(teen.id)).toContain("ждёт подтверждения организатора");
    await h.deliver();
    const ask = h.sentTo(8001).find((c) => String(c.payload.text).startsWith("🕓"))!;
    const org = organiser;
    h.clear();
    await h.press(org, Harness.buttons(ask).find((b) => b[1].startsWith("ev:ok:"))![1]);
    expect(h.answers().at(-1)!.payload.text).toBe("Заявка подтверждена.");
    expect(await db.prisma.enrolment.findFirstOrThrow()).toMatchObject({ status: "confirmed", guardian: "Петрова Анна, +79001112233" });
    // Another organiser's press on this event's sign-up (a forged or forwarded button) is refused.
    await db.prisma.coordinator.create({ data: { telegramId: 8002n, categories: "", organiser: true } });
    const stranger = await h.member(8002);
    await h.press(stranger, "ev:no:1");
    expect(h.answers().at(-1)!.payload.text).toBe("Это не ваше мероприятие.");
    // A forged approval by someone who is not an organiser changes nothing.
    const other = await graduate(h, 7405);
    await h.press(other, "ev:no:1");
    expect(h.answers().at(-1)!.payload.text).toBe("Это не ваше мероприятие.");
  });

  it("QR check-in: the participant shows the code, an organiser scans it; a second scan says when; others are refused", async () => {
    const id = await event({ capacity: 5 });
    const u = await graduate(h, 7407);
    await h.press(u, `ev:join:${id}`);
    await h.press(u, "form:confirm");
    const enrolment = await db.prisma.enrolment.findFirstOrThrow();
    await h.command(u, "myevents");
    await h.press(u, `ev:qr:${enrolment.id}`);
    const qr = h.sentTo(u.id, "sendPhoto")[0]!;
    expect(String(qr.payload.caption)).toContain("Покажите этот код организатору");
    expect(String(qr.payload.multipart)).toContain("PNG");
    const scan = checkinPayload(TOKEN, enrolment.id);
    now = new Date(START.getTime() + 3_600_000); // the first day, 11:00 in Moscow
    const org = await h.member(8001);
    await h.command(org, "start", scan);
    expect(h.lastText(org.id)).toBe("✅ Отмечен(а): Петров Иван — Летний выезд.");
    await h.command(org, "start", scan);
    expect(h.lastText(org.id)).toBe("Уже отмечен(а) сегодня в 11:00: Петров Иван — Летний выезд.");
    expect(await db.prisma.attendance.count()).toBe(1);
    await h.command(u, "start", scan); // the participant scans their own code
    expect(h.lastText(u.id)).toContain("для организатора");
    await h.command(org, "start", `ci_${enrolment.id}_AAAAAAAAAAAA`); // a made-up code
    expect(h.lastText(org.id)).toContain("для организатора");
  });

  it("an unregistered person is asked to register first; a forged or unknown event id is an old button", async () => {
    const id = await event();
    const u = await h.member(7406);
    await h.press(u, `ev:join:${id}`);
    expect(h.lastText(u.id)).toContain("нужна короткая регистрация");
    await h.press(u, "ev:open:99999999999");
    expect(h.lastText(u.id)).toContain("больше недоступно");
  });
});

describe("events and withdrawn consent", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    h = await harness(db, { clock: () => new Date("2026-12-01T09:00:00Z") });
  });
  afterEach(async () => db.dispose());

  it("withdrawing consent gives up upcoming places (the next in line is offered the seat) and no event notice reaches the person", async () => {
    const org = await db.prisma.coordinator.create({ data: { telegramId: 8001n, categories: "", organiser: true } });
    const made = await createEvent(db.prisma, h.deps.clock, { code: "sem1", kind: "seminar", title: { ru: "Семинар" }, timeZone: "Europe/Moscow", startsAt: START, endsAt: new Date(START.getTime() + 3_600_000), place: "Тамбов", capacity: 1 }, { coordinatorId: org.id });
    const id = (made as { id: number }).id;
    await publishEvent(db.prisma, h.deps.clock, id, { coordinatorId: org.id });
    const a = await graduate(h, 7501);
    const b = await graduate(h, 7502);
    for (const u of [a, b]) {
      await h.press(u, `ev:join:${id}`);
      await h.press(u, "form:confirm");
    }
    await h.deliver();
    h.clear();
    await h.command(a, "privacy");
    await h.press(a, "privacy:withdraw");
    await h.press(a, "privacy:withdraw:yes");
    await h.deliver();
    expect(h.sentTo(a.id).filter((c) => String(c.payload.text).includes("Семинар"))).toEqual([]);
    expect(h.texts(b.id).some((t) => t.startsWith("🎟 Освободилось место"))).toBe(true);
    expect((await db.prisma.enrolment.findMany({ orderBy: { id: "asc" } })).map((e) => e.status)).toEqual(["cancelled", "offered"]);
  });
});
