// Service questions through the bot: browsing, free-text questions with an honest "no answer",
// the hand-over to a coordinator with the question attached, crisis contacts, statistics.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";
import { ask, coordinator, family } from "../helpers/people.js";
import { seedKnowledge } from "../../src/services/knowledge/seed.js";
import { visibleLength } from "../../src/services/text.js";

const VETERAN = "как получить удостоверение ветерана боевых действий";
const OFF_TOPIC = "посоветуйте рецепт борща";

describe("knowledge base in the bot", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    h = await harness(db, { env: { ADMIN_TELEGRAM_IDS: "9000" } });
    await seedKnowledge(db.prisma, h.deps.clock);
  });
  afterEach(async () => db.dispose());

  it("/faq: topics, a topic's articles, an article that fits one message, 'This helped' counted once", async () => {
    const u = await h.member(7301);
    await h.press(u, "menu:faq");
    const topics = h.last(u.id)!;
    expect(topics.payload.text).toContain("Вопросы и ответы");
    expect(Harness.buttons(topics).map((b) => b[1])).toContain("kb:cat:documents");
    await h.press(u, "kb:cat:documents");
    const list = Harness.buttons(h.last(u.id));
    expect(list).toContainEqual(["Удостоверение ветерана боевых действий", "kb:art:veteran-certificate"]);
    await h.press(u, "kb:art:veteran-certificate");
    const article = h.last(u.id)!;
    expect(String(article.payload.text)).toMatch(/^<b>Удостоверение ветерана боевых действий<\/b>/);
    expect(String(article.payload.text)).toContain("Источники:");
    expect(visibleLength(String(article.payload.text))).toBeLessThanOrEqual(4096);
    expect(Harness.buttons(article).map((b) => b[1])).toEqual(["kb:ok:veteran-certificate", "kb:hum:veteran-certificate", "kb:topics"]);
    const mid = h.lastMessageIdOf(article);
    await h.press(u, "kb:ok:veteran-certificate", mid);
    await h.press(u, "kb:ok:veteran-certificate", mid); // a double press
    expect(h.answers().at(-1)!.payload.text).toContain("Хорошо, что помогло");
    expect(await db.prisma.knowledgeEvent.count({ where: { kind: "helped", articleId: "veteran-certificate" } })).toBe(1);
    await h.press(u, "kb:art:no-such-article");
    expect(h.lastText(u.id)).toContain("больше недоступна");
  });

  it("a question in free text is answered with the best article, in the person's language too", async () => {
    const u = await h.member(7302);
    await h.text(u, VETERAN);
    const offer = h.last(u.id)!;
    expect(offer.payload.text).toBe("Вот что нашлось по вашему вопросу:");
    expect(Harness.buttons(offer)[0]).toEqual(["📄 Удостоверение ветерана боевых действий", "kb:art:veteran-certificate"]);
    expect(Harness.buttons(offer).map((b) => b[1]).slice(-2)).toEqual([expect.stringMatching(/^kb:no:\d+$/), expect.stringMatching(/^kb:hq:\d+$/)]);
    const lt = await h.member(7303, "lt");
    await h.text(lt, "kaip gauti kovos veiksmų veterano pažymėjimą");
    expect(Harness.buttons(h.last(lt.id))[0]![1]).toBe("kb:art:veteran-certificate");
    await h.press(lt, "kb:art:veteran-certificate");
    expect(h.lastText(lt.id)).toMatch(/^<b>Kovos veiksmų veterano pažymėjimas<\/b>/);
  });

  it("no good answer: says so honestly, asks once to rephrase, then hands the FIRST question to a coordinator", async () => {
    const coord = await coordinator(h, db, 7001, { categories: ["payments", "other", "documents", "legal", "health", "psychology", "housing", "work_study", "children_family", "mentoring"] });
    const maria = await family(h, 7101);
    await h.text(maria, OFF_TOPIC);
    expect(h.lastText(maria.id)).toContain("готового ответа на этот вопрос у меня нет");
    const rephrase = Harness.buttons(h.last(maria.id)).find((b) => b[1].startsWith("kb:re:"))!;
    await h.press(maria, rephrase[1]);
    expect(h.lastText(maria.id)).toContain("Попробуйте сказать иначе");
    await h.text(maria, "как сварить суп из свёклы");
    expect(h.lastText(maria.id)).toBe(`Не нашлось и так — простите. Передать координатору ваш вопрос: «${OFF_TOPIC}»?`);
    await h.press(maria, Harness.buttons(h.last(maria.id))[0]![1]);
    // Nothing fitted, so she chooses the kind of help; the first question is already the description.
    expect(h.lastText(maria.id)).toBe("С чем нужна помощь?");
    await h.press(maria, "form:cat:other");
    expect(h.lastText(maria.id)).toContain(`«${OFF_TOPIC}»`);
    await h.press(maria, "form:done");
    await h.press(maria, "form:urgency:normal");
    await h.press(maria, "form:confirm");
    const c = await db.prisma.case.findFirstOrThrow();
    expect(c.description).toBe(OFF_TOPIC);
    await h.deliver();
    expect(h.texts(coord.id).find((t) => t.startsWith("🆕"))).toContain(OFF_TOPIC);
    expect(await db.prisma.knowledgeEvent.count({ where: { kind: "no_answer" } })).toBe(2);
    expect(await db.prisma.knowledgeEvent.count({ where: { kind: "handover" } })).toBe(1);
  });

  it("'I need a person' after a found article: the kind of help is guessed and the question attached", async () => {
    await coordinator(h, db, 7001, { categories: ["documents"] });
    const maria = await family(h, 7101);
    await h.text(maria, VETERAN);
    await h.press(maria, Harness.buttons(h.last(maria.id)).find((b) => b[1].startsWith("kb:hq:"))![1]);
    expect(h.lastText(maria.id)).toContain(`«${VETERAN}»`); // the kind of help (documents) was skipped: guessed
    await h.press(maria, "form:done");
    await h.press(maria, "form:urgency:normal");
    await h.press(maria, "form:confirm");
    expect(await db.prisma.case.findFirstOrThrow()).toMatchObject({ category: "documents", description: VETERAN });
  });

  it("'None of these' twice in a row offers the coordinator with the first question", async () => {
    const maria = await family(h, 7101);
    await h.text(maria, VETERAN);
    await h.press(maria, Harness.buttons(h.last(maria.id)).find((b) => b[1].startsWith("kb:no:"))![1]);
    expect(h.lastText(maria.id)).toContain("Попробуйте сказать иначе");
    await h.text(maria, "ВБД где оформить");
    await h.press(maria, Harness.buttons(h.last(maria.id)).find((b) => b[1].startsWith("kb:no:"))![1]);
    expect(h.lastText(maria.id)).toBe(`Не нашлось и так — простите. Передать координатору ваш вопрос: «${VETERAN}»?`);
    expect(await db.prisma.knowledgeEvent.count({ where: { kind: "not_helped", articleId: "veteran-certificate" } })).toBe(2);
  });

  it("someone not registered passes their question on without registering: the request form opens with it", async () => {
    const u = await h.member(7304);
    await h.text(u, OFF_TOPIC);
    const handover = Harness.buttons(h.last(u.id)).find((b) => b[1].startsWith("kb:hq:"))!;
    await h.press(u, handover[1]);
    expect(h.lastText(u.id)).toContain("С чем нужна помощь?");
    await h.press(u, "form:cat:other");
    expect(h.lastText(u.id)).toContain(OFF_TOPIC);
  });

  it("a forged question id (someone else's) is an old button, and reveals nothing", async () => {
    const maria = await family(h, 7101);
    const anna = await family(h, 7102);
    await h.text(maria, OFF_TOPIC);
    const id = /kb:hq:(\d+)/.exec(Harness.buttons(h.last(maria.id)).find((b) => b[1].startsWith("kb:hq:"))![1])![1];
    h.clear();
    await h.press(anna, `kb:hq:${id}`);
    await h.press(anna, "kb:hq:99999999999");
    expect(h.answers().map((a) => a.payload.text)).toEqual([expect.stringContaining("больше не действует"), expect.stringContaining("больше не действует")]);
    expect(h.texts(anna.id).join("")).not.toContain("борщ");
  });

  it("a message that sounds like a crisis gets the crisis contacts first, with 112", async () => {
    const u = await h.member(7305);
    await h.text(u, "не хочу жить, муж погиб, что делать");
    const [first] = h.texts(u.id);
    expect(first).toContain("112");
    expect(first).toContain("8-800-2000-122");
    const lt = await h.member(7306, "lt");
    await h.text(lt, "nenoriu gyventi");
    expect(h.texts(lt.id)[0]).toContain("112");
  });

  it("with an open request, free text still goes to the coordinator, not to the knowledge base", async () => {
    await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    await ask(h, maria);
    await h.text(maria, VETERAN);
    expect(h.lastText(maria.id)).toContain("Добавлено к обращению");
    expect(await db.prisma.knowledgeEvent.count()).toBe(0);
  });

  it("/kbstats for administrators only: use per article and questions without an answer", async () => {
    const u = await h.member(7307);
    await h.text(u, VETERAN);
    await h.text(u, OFF_TOPIC);
    await h.command(u, "kbstats");
    expect(h.lastText(u.id)).toBe("Это действие вам недоступно.");
    const admin = await h.member(9000);
    await h.command(admin, "kbstats");
    const text = h.lastText(admin.id);
    expect(text).toContain("вопросов 2, без ответа 1");
    expect(text).toMatch(/veteran-certificate: 1 · 0 · 0 · 0/);
    expect(text).toContain(`• ${OFF_TOPIC}`);
  });

  it("/deleteme erases the questions a person asked; the counts stay", async () => {
    const u = await h.member(7308);
    await h.text(u, OFF_TOPIC);
    await h.command(u, "deleteme");
    await h.press(u, "erase:yes");
    const events = await db.prisma.knowledgeEvent.findMany();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.question === null && e.personId === null && e.sourceKey === null)).toBe(true);
  });
});

describe("an article at the longest a file allows", () => {
  it("fits one Telegram message: a 3,500-character body, a very long title, many sources", async () => {
    const { articleHtml } = await import("../../src/bot/features/knowledge/render.js");
    const { createI18n } = await import("../../src/i18n.js");
    const t = (await createI18n("ru")).getFixedT("ru");
    const body = "Простой текст без разметки. ".repeat(130).slice(0, 3500); // visible length = raw length: the worst case
    const a = {
      id: "x", category: "other" as const, audience: "all" as const, regions: "all" as const, reviewed: "2026-11-23",
      sources: Array.from({ length: 10 }, (_, i) => ({ title: `Источник ${i} `.repeat(20), url: "https://www.gosuslugi.ru/" })),
      title: { ru: "Очень длинный заголовок ".repeat(40) }, body: { ru: body }, questions: {}, synonyms: {},
    };
    expect(visibleLength(articleHtml(a, "ru", t))).toBeLessThanOrEqual(4096);
  });
});
