// The event editor's fields beyond one answer: descriptions in en/lt (kept, shown, cleared), the
// organiser's extra questions (added step by step, asked at sign-up, removable only while nobody has
// answered them), seats kept per region (checked against the capacity and locked once a seat is
// held), the family party size and the series; every bad input answered kindly, and the longest
// preview and question list within one message.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";
import { graduate } from "../helpers/people.js";
import { createEvent, createSeries, publishEvent } from "../../src/services/events/organise.js";
import { questionsOf } from "../../src/services/events/rules.js";
import { visibleLength } from "../../src/services/text.js";

const START = new Date("2026-12-10T07:00:00Z"); // 10:00 in Moscow

describe("the event editor: translations, questions, quotas, party and series", () => {
  let db: TestDb;
  let h: Harness;
  let now: Date;
  let coordinatorId: number;
  let org: User;
  const event = async (publish = true) => {
    const made = (await createEvent(db.prisma, () => now, { code: "camp-1", kind: "camp", title: { ru: "Летний выезд" }, description: { ru: "Четыре дня тренингов." }, timeZone: "Europe/Moscow", startsAt: START, endsAt: new Date(START.getTime() + 32 * 3_600_000), place: "Липецк", capacity: 30, regions: ["RU-TAM", "RU-LIP"] }, { coordinatorId })) as { id: number };
    if (publish) await publishEvent(db.prisma, () => now, made.id, { coordinatorId });
    return made.id;
  };
  const buttons = () => Harness.buttons(h.last(org.id)).map((b) => b[1]);
  beforeEach(async () => {
    db = await sqliteTestDb();
    now = new Date("2026-12-01T09:00:00Z");
    h = await harness(db, { clock: () => now });
    coordinatorId = (await db.prisma.coordinator.create({ data: { telegramId: 8001n, categories: "", organiser: true } })).id;
    org = await h.member(8001);
  });
  afterEach(async () => db.dispose());

  it("sets descriptions in en and lt, questions, quotas, party and series from the preview; a graduate is asked the questions", async () => {
    const id = await event();
    await createSeries(db.prisma, () => now, { code: "grads-2027", title: { ru: "Школа выпускника" }, completeAfter: 2 });
    await h.press(org, `org:edit:${id}`);
    for (const f of ["description_en", "description_lt", "questions", "quotas", "party", "series"]) expect(buttons()).toContain(`form:ed:f:${f}`);
    expect(h.lastText(org.id)).toContain("Описание (en): —");
    // Descriptions in the other languages.
    await h.press(org, "form:ed:f:description_en");
    await h.text(org, "Four days of training.");
    await h.press(org, "form:ed:f:description_lt");
    await h.text(org, "Keturios mokymų dienos.");
    expect(h.lastText(org.id)).toContain("Описание (en): Four days of training.");
    // Questions: a choice, a free text that may be skipped, a yes/no; mistakes answered kindly.
    await h.press(org, "form:ed:f:questions");
    expect(h.lastText(org.id)).toContain("Вопросов нет.");
    await h.press(org, "form:ed:q:add");
    await h.press(org, "form:ed:qt:choice");
    await h.text(org, "en: T-shirt size");
    expect(h.lastText(org.id)).toContain("Нужен текст вопроса по-русски");
    await h.text(org, "Размер футболки\nen: T-shirt size\nlt: Marškinėlių dydis");
    await h.text(org, "M");
    expect(h.lastText(org.id)).toContain("Нужно хотя бы два варианта");
    await h.text(org, "S, M, L, XL");
    await h.press(org, "form:ed:q:add");
    await h.press(org, "form:ed:qt:text");
    await h.text(org, "Особенности питания");
    await h.press(org, "form:ed:no");
    await h.press(org, "form:ed:q:add");
    await h.press(org, "form:ed:qt:yes_no");
    await h.text(org, "Нужен трансфер от вокзала?");
    expect(h.lastText(org.id)).toContain("1. Размер футболки — выбор варианта: S, M, L, XL (обязательный)\n2. Особенности питания — свободный ответ\n3. Нужен трансфер от вокзала? — да или нет (обязательный)");
    await h.press(org, "form:ed:q:done");
    expect(h.lastText(org.id)).toContain("Вопросы (3): Размер футболки; Особенности питания; Нужен трансфер от вокзала?");
    // Quotas: the regions must be the event's and the sum within the capacity.
    await h.press(org, "form:ed:f:quotas");
    await h.text(org, "RU-TAM шесть");
    expect(h.lastText(org.id)).toContain("Не понял. Напишите код региона");
    await h.text(org, "RU-TAM 6, RU-MOW 2");
    expect(h.lastText(org.id)).toContain("не входят в регионы мероприятия: RU-MOW");
    await h.text(org, "RU-TAM 20, RU-LIP 20");
    expect(h.lastText(org.id)).toContain("оставлено 40 мест — больше, чем всего мест (30)");
    await h.text(org, "ru-tam: 6; RU-LIP 8");
    expect(h.lastText(org.id)).toContain("Места за регионами: RU-TAM 6, RU-LIP 8 (+16)");
    // Party and series.
    await h.press(org, "form:ed:f:party");
    await h.text(org, "9 9");
    expect(h.lastText(org.id)).toContain("взрослых (1–8) и детей (0–7)");
    await h.text(org, "2 3");
    await h.press(org, "form:ed:f:series");
    const series = await db.prisma.eventSeries.findFirstOrThrow();
    expect(buttons()).toContain(`form:ed:ser:${series.id}`);
    await h.text(org, "no-such");
    expect(h.lastText(org.id)).toContain("Цикла с кодом «no-such» нет");
    await h.press(org, `form:ed:ser:${series.id}`);
    expect(h.lastText(org.id)).toContain("Цикл: grads-2027");
    expect(h.lastText(org.id)).toContain("Семья может привести: взрослых до 2, детей до 3");
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Изменения сохранены");
    const e = await db.prisma.event.findUniqueOrThrow({ where: { id }, include: { quotas: { orderBy: { regionCode: "asc" } } } });
    expect(JSON.parse(e.description)).toEqual({ ru: "Четыре дня тренингов.", en: "Four days of training.", lt: "Keturios mokymų dienos." });
    expect(e).toMatchObject({ maxAdults: 2, maxChildren: 3, seriesId: series.id, hasQuotas: true });
    expect(e.quotas.map((q) => [q.regionCode, q.seats])).toEqual([["*", 16], ["RU-LIP", 8], ["RU-TAM", 6]]);
    expect(questionsOf(e.questions)).toEqual([
      { id: "q1", type: "choice", required: true, label: { ru: "Размер футболки", en: "T-shirt size", lt: "Marškinėlių dydis" }, options: ["S", "M", "L", "XL"] },
      { id: "q2", type: "text", required: false, label: { ru: "Особенности питания" } },
      { id: "q3", type: "yes_no", required: true, label: { ru: "Нужен трансфер от вокзала?" } },
    ]);
    // A graduate (in Tambov) is asked the three questions; the seat comes from Tambov's quota.
    const g = await graduate(h, 7601);
    await h.press(g, `ev:join:${id}`);
    expect(h.lastText(g.id)).toContain("Размер футболки");
    await h.press(g, "form:q:0:2");
    await h.press(g, "form:q:1:skip");
    await h.press(g, "form:q:2:y");
    await h.press(g, "form:confirm");
    const enr = await db.prisma.enrolment.findFirstOrThrow();
    expect(enr.status).toBe("confirmed");
    expect(JSON.parse(enr.answers!)).toEqual({ q1: "L", q2: "", q3: true });
    expect((await db.prisma.eventQuota.findFirstOrThrow({ where: { eventId: id, regionCode: "RU-TAM" } })).taken).toBe(1);
    // Opening the editor again shows what was saved.
    await h.press(org, `org:edit:${id}`);
    expect(h.lastText(org.id)).toContain("Описание (lt): Keturios mokymų dienos.");
    expect(h.lastText(org.id)).toContain("Вопросы (3)");
  });

  it("after sign-ups: an answered question cannot be removed, a new one can be added; quotas are locked; clearing a translation works", async () => {
    const id = await event();
    await db.prisma.event.update({ where: { id }, data: { questions: JSON.stringify([{ id: "diet", type: "text", required: false, label: { ru: "Питание" } }]), description: JSON.stringify({ ru: "Описание", en: "Description" }) } });
    const g = await graduate(h, 7602);
    await h.press(g, `ev:join:${id}`);
    await h.text(g, "вегетарианское");
    await h.press(g, "form:confirm");
    expect((await db.prisma.enrolment.findFirstOrThrow()).status).toBe("confirmed");
    await h.press(org, `org:edit:${id}`);
    await h.press(org, "form:ed:f:questions");
    await h.press(org, "form:ed:q:del:0");
    expect(h.lastText(org.id)).toContain("Вопрос 1 удалить нельзя: на него уже ответили");
    await h.press(org, "form:ed:q:add");
    await h.press(org, "form:ed:qt:yes_no");
    await h.text(org, "Нужен трансфер?");
    expect(h.lastText(org.id)).toContain("2. Нужен трансфер? — да или нет");
    await h.press(org, "form:ed:q:done");
    await h.press(org, "form:ed:f:quotas");
    expect(h.texts(org.id).at(-2)).toContain("Квоты нельзя менять, когда места уже заняты"); // then the preview again
    await h.press(org, "form:ed:f:description_en");
    await h.press(org, "form:ed:none"); // clear the English description
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Изменения сохранены");
    const e = await db.prisma.event.findUniqueOrThrow({ where: { id } });
    expect(questionsOf(e.questions).map((q) => q.id)).toEqual(["diet", "q1"]);
    expect(JSON.parse(e.description)).toEqual({ ru: "Описание" });
    expect(e.hasQuotas).toBe(false);
  });

  it("the service refuses what the editor's screen no longer knows: a question answered meanwhile, quotas after a seat was taken", async () => {
    const id = await event();
    await db.prisma.event.update({ where: { id }, data: { questions: JSON.stringify([{ id: "diet", type: "text", required: false, label: { ru: "Питание" } }]) } });
    await h.press(org, `org:edit:${id}`);
    await h.press(org, "form:ed:f:quotas");
    await h.text(org, "RU-TAM 5");
    // Meanwhile a graduate signs up and answers.
    const g = await graduate(h, 7603);
    await h.press(g, `ev:join:${id}`);
    await h.text(g, "без глютена");
    await h.press(g, "form:confirm");
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Квоты: места уже заняты — квоты менять нельзя.");
    expect(await db.prisma.eventQuota.count()).toBe(0);
    // The screen still shows the state it opened with: the question seems unanswered and goes from
    // the list, and the service refuses that too.
    await h.press(org, "form:ed:f:quotas");
    await h.press(org, "form:ed:none");
    await h.press(org, "form:ed:f:questions");
    await h.press(org, "form:ed:q:del:0");
    expect(h.lastText(org.id)).toContain("Вопросов нет.");
    await h.press(org, "form:ed:q:done");
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Вопросы: на удалённый или изменённый вопрос уже ответили");
    expect(questionsOf((await db.prisma.event.findUniqueOrThrow({ where: { id } })).questions).map((q) => q.id)).toEqual(["diet"]);
  });

  it("a new event with questions and quotas is created as a draft; quotas without a capacity are refused", async () => {
    await h.press(org, "org:new");
    await h.text(org, "Семинар");
    await h.press(org, "form:ed:none");
    await h.press(org, "form:ed:none");
    await h.press(org, "form:ed:none"); // no description
    await h.press(org, "form:ed:kind:seminar");
    await h.press(org, "form:ed:tz");
    await h.text(org, "10.12.2026 10:00");
    await h.text(org, "10.12.2026 17:00");
    await h.text(org, "Тамбов");
    await h.press(org, "form:ed:none");
    await h.press(org, "form:ed:all");
    await h.press(org, "form:ed:aud:done");
    await h.press(org, "form:ed:none");
    await h.press(org, "form:ed:none"); // unlimited
    await h.press(org, "form:ed:none");
    await h.press(org, "form:ed:no");
    await h.press(org, "form:ed:f:description_en");
    expect(h.texts(org.id).at(-2)).toContain("Сначала напишите описание по-русски");
    await h.press(org, "form:ed:f:quotas");
    await h.text(org, "RU-TAM 5");
    expect(h.lastText(org.id)).toContain("сначала укажите число мест");
    await h.press(org, "form:ed:none");
    await h.press(org, "form:ed:f:capacity");
    await h.text(org, "10");
    await h.press(org, "form:ed:f:quotas");
    await h.text(org, "RU-TAM 5");
    await h.press(org, "form:ed:f:questions");
    await h.press(org, "form:ed:q:add");
    await h.press(org, "form:ed:qt:text");
    await h.text(org, "Откуда вы узнали о семинаре?");
    await h.press(org, "form:back"); // back to the text from "required?"
    await h.text(org, "Откуда вы узнали?");
    await h.press(org, "form:ed:yes");
    await h.press(org, "form:ed:q:done");
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Черновик сохранён");
    const e = await db.prisma.event.findFirstOrThrow({ include: { quotas: { orderBy: { regionCode: "asc" } } } });
    expect(e.quotas.map((q) => [q.regionCode, q.seats])).toEqual([["*", 5], ["RU-TAM", 5]]);
    expect(questionsOf(e.questions)).toEqual([{ id: "q1", type: "text", required: true, label: { ru: "Откуда вы узнали?" } }]);
  });

  it("the longest of everything fits: ten questions at their limits, twelve long options, long translations and quotas", async () => {
    const id = await event(false);
    await h.press(org, `org:edit:${id}`);
    await h.press(org, "form:ed:f:title");
    await h.text(org, "Я".repeat(200));
    await h.press(org, "form:ed:f:description");
    await h.text(org, "Д".repeat(2500));
    await h.press(org, "form:ed:f:place");
    await h.text(org, "М".repeat(200));
    await h.press(org, "form:ed:f:online");
    await h.text(org, `https://example.org/${"x".repeat(470)}`);
    for (const l of ["en", "lt"]) {
      await h.press(org, `form:ed:f:title_${l}`);
      await h.text(org, "T".repeat(200));
      await h.press(org, `form:ed:f:description_${l}`);
      await h.text(org, "D".repeat(2501));
      expect(h.lastText(org.id)).toContain("не больше 2500");
      await h.text(org, "D".repeat(2500));
    }
    await h.press(org, "form:ed:f:questions");
    for (let i = 0; i < 10; i++) {
      await h.press(org, "form:ed:q:add");
      await h.press(org, "form:ed:qt:choice");
      if (i === 0) {
        await h.text(org, "В".repeat(201));
        expect(h.lastText(org.id)).toContain("не больше 200");
      }
      await h.text(org, `${"В".repeat(200)}\nen: ${"Q".repeat(200)}\nlt: ${"K".repeat(200)}`);
      if (i === 0) {
        await h.text(org, Array.from({ length: 13 }, (_x, k) => `${k}`).join(", "));
        expect(h.lastText(org.id)).toContain("не больше 12");
        await h.text(org, `${"O".repeat(41)}, b`);
        expect(h.lastText(org.id)).toContain("не больше 40");
      }
      await h.text(org, Array.from({ length: 12 }, (_x, k) => `${k}`.padEnd(40, "О")).join("\n"));
    }
    expect(buttons()).not.toContain("form:ed:q:add"); // ten is the most
    await h.press(org, "form:ed:q:done");
    await h.press(org, "form:ed:f:quotas");
    await h.text(org, "RU-TAM 15, RU-LIP 15");
    await h.press(org, "form:ed:save");
    expect(h.lastText(org.id)).toContain("Изменения сохранены");
    expect(questionsOf((await db.prisma.event.findUniqueOrThrow({ where: { id } })).questions)).toHaveLength(10);
    // A graduate is asked the longest question with its twelve options.
    await publishEvent(db.prisma, () => now, id, { coordinatorId });
    const g = await graduate(h, 7604);
    await h.press(g, `ev:join:${id}`);
    expect(Harness.buttons(h.last(g.id))).toHaveLength(12 + 1);
    const over = h.calls.filter((c) => ["sendMessage", "editMessageText"].includes(c.method) && visibleLength(String(c.payload.text)) > 4096);
    expect(over).toEqual([]);
    const data = h.calls.flatMap((c) => Harness.buttons(c).map((b) => b[1])).filter((d) => Buffer.byteLength(d) > 64);
    expect(data).toEqual([]);
  });
});
