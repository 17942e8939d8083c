// Issue 11, points 7-11, 13 and 14 (consent, minors, withdrawal, audiences, command menus, texts, no dead ends), as the people who use the bot meet them:
// law asks for, minors' representatives, withdrawal followed by erasure in 30 days, programmes that
// serve other audiences, command menus per role, texts a social worker would sign, and no dead ends.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";
import { ask, coordinator, family, registeredGraduate } from "../helpers/people.js";
import { ConfigError, loadConfig, OPERATOR_MAX, PARTNERS_MAX, POLICY_URL_MAX } from "../../src/config.js";
import { runDueJobs } from "../../src/services/events/runner.js";
import { DEFAULT_EVENT_SETTINGS } from "../../src/services/events/settings.js";
import { sessionKeysOf } from "../../src/bot/transport/storage.js";
import { queueCommandMenu } from "../../src/services/cases/coordinators.js";
import { memberCommands } from "../../src/bot/commands.js";
import { loadResources, LOCALES } from "../../src/i18n.js";
import { ROLES } from "../../src/services/vocabulary.js";

const DAY = 86_400_000;
const OPERATOR = { OPERATOR_NAME: "АНО «Центр поддержки семей»", OPERATOR_ADDRESS: "392000, г. Тамбов, ул. Советская, д. 1" };

describe("care for the people the bot serves", () => {
  let db: TestDb;
  let h: Harness;
  let now: Date;
  const start = async (env: Record<string, string> = {}) => {
    h = await harness(db, { clock: () => now, env: { ...OPERATOR, ADMIN_TELEGRAM_IDS: "9001", ...env } });
  };
  beforeEach(async () => {
    db = await sqliteTestDb();
    now = new Date("2026-11-23T10:00:00Z");
    await start();
  });
  afterEach(async () => db.dispose());

  const graduate = (id: number, birth: string, lang = "ru") => registeredGraduate(h, id, birth, lang);

  describe("7. the consent screen", () => {
    it("comes apart from the 'about' text and names the operator, data, recipients, Telegram abroad, retention and how to withdraw", async () => {
      await start({ PARTNER_ORGANISATIONS: "Фонд «Защитники Отечества»", DATA_RETENTION_YEARS: "5" });
      const u = h.user(701);
      await h.command(u, "start");
      await h.press(u, "lang:ru");
      const [about, consent] = h.texts(u.id).slice(-2);
      expect(about).toContain("Через этот бот можно");
      expect(about).not.toContain("Оператор");
      for (const part of ["Оператор:</b> АНО «Центр поддержки семей», адрес: 392000, г. Тамбов", "Зачем:", "специальным категориям", "третьего лица", "в плену",
        "Фонд «Защитники Отечества»", "иностранный сервис", "трансграничную передачу", "не дольше 5 лет", "152-ФЗ", "/privacy", "30 дней", "Роскомнадзор"]) {
        expect(consent, part).toContain(part);
      }
      expect(Harness.buttons(h.last(u.id)).map((b) => b[0])).toEqual(["✅ Даю согласие", "Не даю согласия"]);
    });

    it("carries the GDPR items in Lithuanian and English: legal basis, retention, the right to complain to VDAI", async () => {
      for (const [lang, parts] of [
        ["lt", ["Duomenų valdytojas:", "BDAR 6 str. 1 d. a p.", "ne ilgiau kaip 3 metus", "Valstybinei duomenų apsaugos inspekcijai", "Europos Sąjungos"]],
        ["en", ["Controller:", "GDPR Art. 6(1)(a)", "no longer than 3 years", "State Data Protection Inspectorate (VDAI", "no adequacy decision"]],
      ] as const) {
        const u = h.user(lang === "lt" ? 702 : 703, lang);
        await h.command(u, "start");
        await h.press(u, `lang:${lang}`);
        for (const p of parts) expect(h.lastText(u.id), `${lang}: ${p}`).toContain(p);
        expect(Harness.buttons(h.last(u.id))).toHaveLength(2);
      }
    });

    it("fits one message at the longest settings in every language (the fake Telegram refuses more)", async () => {
      // At each limit as sent: "<" is sent as "&lt;" (4 characters).
      await start({
        OPERATOR_NAME: "Я".repeat(OPERATOR_MAX), OPERATOR_ADDRESS: "<".repeat(OPERATOR_MAX / 5) + "А".repeat(OPERATOR_MAX / 5), PARTNER_ORGANISATIONS: "<".repeat(PARTNERS_MAX / 4),
        PROGRAMME_NAME: "П".repeat(200), PRIVACY_POLICY_URL: `https://example.org/${"p".repeat(POLICY_URL_MAX - 20)}`,
      });
      for (const [i, lang] of LOCALES.entries()) {
        const u = h.user(710 + i, lang);
        await h.command(u, "start");
        await h.press(u, `lang:${lang}`);
        const text = h.lastText(u.id);
        expect(text).toContain("&lt;&lt;"); // escaped, not markup
        expect(text).toContain("Я".repeat(OPERATOR_MAX));
        expect(text.length).toBeLessThanOrEqual(4096);
        await h.press(u, "consent:yes");
        await h.command(u, "privacy"); // the same text under the consent's date
        expect(h.lastText(u.id).length).toBeLessThanOrEqual(4096);
      }
    });

    it("names the operator in production, or the bot does not start (one clear line)", () => {
      const env = { BOT_TOKEN: "123456789:AAtest-token-for-tests-only_xxxxxxxxxx", NODE_ENV: "production" };
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/^Configuration error: OPERATOR_NAME is required when NODE_ENV=production .*; OPERATOR_ADDRESS is required/);
      expect(loadConfig({ ...env, ...OPERATOR }).OPERATOR_NAME).toBe(OPERATOR.OPERATOR_NAME);
      expect(() => loadConfig({ ...env, ...OPERATOR, OPERATOR_NAME: '"'.repeat(OPERATOR_MAX / 6 + 1) })).toThrow(/OPERATOR_NAME must be at most 250 characters/);
    });

    it("a consent to the previous version of the text is asked again", async () => {
      const u = h.user(720);
      await h.command(u, "start");
      await h.press(u, "lang:ru");
      const person = await db.prisma.person.findFirstOrThrow();
      await db.prisma.consent.create({ data: { personId: person.id, version: "1", givenAt: now } });
      await h.command(u, "start");
      expect(h.texts(u.id).join("\n")).toContain("Условия обработки персональных данных обновились");
      expect(h.lastText(u.id)).toContain("Вы даёте согласие");
    });

    it("refused consent is not a dead end: the terms can be read again and agreed to", async () => {
      const u = h.user(721);
      await h.command(u, "start");
      await h.press(u, "lang:ru");
      await h.press(u, "consent:no");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toEqual(["consent:again", "menu:language"]);
      await h.press(u, "consent:again");
      expect(h.lastText(u.id)).toContain("Согласие на обработку персональных данных");
      await h.press(u, "consent:yes");
      expect(h.lastText(u.id)).toContain("Главное меню");
    });
  });

  describe("8. minors", () => {
    it("a 16-year-old is told a representative must agree; who agreed is recorded, shown in /mydata, confirmed by a coordinator, erased with her", async () => {
      await coordinator(h, db, 7001, { supervisor: true, categories: [] });
      const plain = await coordinator(h, db, 7002);
      const teen = await graduate(801, "01.03.2010");
      expect(h.texts(teen.id).join("\n")).toContain("Вам меньше 18 лет");
      await h.press(teen, "guardian:ask");
      await h.text(teen, "Петрова Анна");
      await h.text(teen, "anna@example.org");
      const profile = await db.prisma.profile.findFirstOrThrow({ where: { guardianName: { not: null } } });
      expect(profile).toMatchObject({ guardianName: "Петрова Анна", guardianContact: "anna@example.org", guardianConfirmedAt: null });
      await h.deliver();
      // The supervisor and the administrator are asked; a plain coordinator is not, and may not confirm.
      expect(h.texts(7001).join()).toContain("Согласие представителя несовершеннолетнего");
      expect(h.texts(9001).join()).toContain("Петрова Анна, anna@example.org");
      expect(h.texts(plain.id).join()).not.toContain("Петрова Анна");
      await h.command(plain, "minors");
      expect(h.lastText(plain.id)).toBe("Это действие вам недоступно.");
      await h.press(plain, `guardian:ok:${profile.personId}`);
      expect(h.answers().at(-1)!.payload.text).toBe("Это действие вам недоступно.");
      await h.press(plain, "guardian:ok:99999999999"); // forged and out of range
      const admin = await h.member(9001);
      await h.command(admin, "minors");
      expect(h.lastText(9001)).toContain("Петров Иван");
      await h.press(admin, `guardian:ok:${profile.personId}`);
      expect((await db.prisma.profile.findFirstOrThrow({ where: { personId: profile.personId } })).guardianConfirmedBy).toBe(9001n);
      await h.command(admin, "minors");
      expect(h.lastText(9001)).toContain("Нет несовершеннолетних");

      await h.command(teen, "mydata");
      const file = h.sentTo(teen.id, "sendDocument").at(-1)!;
      expect(file).toBeDefined();
      await h.command(teen, "deleteme");
      await h.press(teen, "erase:yes");
      expect(await db.prisma.profile.findFirstOrThrow({ where: { personId: profile.personId } })).toMatchObject({ guardianName: null, guardianContact: null, guardianConfirmedBy: null });
    });

    it("an adult graduate is not asked about a representative; in English the notice is in English", async () => {
      const adult = await graduate(802, "01.03.2000");
      expect(h.texts(adult.id).join("\n")).not.toContain("меньше 18");
      const teen = await graduate(803, "01.03.2010", "en");
      expect(h.texts(teen.id).join("\n")).toContain("You are under 18");
      await h.press(adult, "guardian:ask"); // forged by an adult: nothing to name
      expect(h.lastText(adult.id)).not.toContain("представител");
    });

    it("over the age limit: told where else to turn, and the form can be left for the menu", async () => {
      const u = await h.member(804);
      await h.press(u, "menu:profile");
      await h.press(u, "reg:role:graduate");
      await h.text(u, "Петров Иван");
      await h.text(u, "01.03.1980");
      expect(h.lastText(u.id)).toContain("центр социальной защиты");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toContain("cancel");
    });
  });

  describe("9. withdrawal of consent", () => {
    it("closes open requests with a notice to the coordinator, says the date, and erases everything 30 days later (a persisted job)", async () => {
      const coord = await coordinator(h, db, 7001);
      const maria = await family(h, 901);
      await ask(h, maria, "тайна-описания");
      await h.deliver();
      const c = await db.prisma.case.findFirstOrThrow();
      await h.press(coord, `case:take:${c.id}`);
      await h.command(maria, "privacy");
      expect(Harness.buttons(h.last(maria.id)).map((b) => b[1])).toEqual(["privacy:withdraw", "privacy:erase", "menu:main"]);
      await h.press(maria, "privacy:withdraw");
      expect(h.lastText(maria.id)).toContain("удалит ваши данные через 30 дней");
      await h.press(maria, "privacy:withdraw:yes");
      await h.press(maria, "privacy:withdraw:yes"); // a double press
      expect(h.lastText(maria.id)).toContain("Ваши данные будут удалены 23 декабря 2026");
      expect(await db.prisma.case.findFirstOrThrow()).toMatchObject({ status: "cancelled" });
      await h.deliver();
      expect(h.texts(coord.id).join()).toContain("отозвал");
      const jobs = await db.prisma.scheduledJob.findMany({ where: { kind: "erasure" } });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.dueAt.getTime()).toBe(now.getTime() + 30 * DAY);

      // A restart changes nothing: the job is a row. Not before its time...
      const keys = { sessionKeysOf };
      now = new Date(now.getTime() + 29 * DAY);
      expect(await runDueJobs(db.prisma, () => now, DEFAULT_EVENT_SETTINGS, 10, keys)).toBe(0);
      now = new Date(now.getTime() + 1 * DAY);
      expect(await runDueJobs(db.prisma, () => now, DEFAULT_EVENT_SETTINGS, 10, keys)).toBe(1);
      const person = await db.prisma.person.findUniqueOrThrow({ where: { id: c.requesterId } });
      expect(person.telegramId).toBeLessThan(0n);
      expect(await db.prisma.profile.findFirstOrThrow({ where: { personId: person.id } })).toMatchObject({ fullName: null, phone: null });
      expect((await db.prisma.case.findFirstOrThrow()).description).toBeNull();
      expect(await db.prisma.session.count({ where: { key: { in: sessionKeysOf(901) } } })).toBe(0);
    });

    it("dates are in the person's own time zone: Kamchatka's day, not Moscow's or UTC's", async () => {
      now = new Date("2026-11-23T14:00:00Z"); // 17:00 in Moscow, already 02:00 on the 24th in Kamchatka
      const u = await family(h, 905);
      await db.prisma.profile.update({ where: { personId: (await db.prisma.person.findFirstOrThrow({ where: { telegramId: 905n } })).id }, data: { regionCode: "RU-KAM" } });
      await h.command(u, "privacy");
      expect(h.texts(u.id).join("\n")).toContain("24 ноября 2026 г. в 02:00");
      await h.press(u, "privacy:withdraw");
      await h.press(u, "privacy:withdraw:yes");
      expect(h.lastText(u.id)).toContain("Ваши данные будут удалены 24 декабря 2026");
    });

    it("consent given again before the date cancels the erasure; erasing at once works without consent in force", async () => {
      const a = await family(h, 902);
      await h.command(a, "privacy");
      await h.press(a, "privacy:withdraw");
      await h.press(a, "privacy:withdraw:yes");
      await h.command(a, "start");
      await h.press(a, "consent:yes");
      now = new Date(now.getTime() + 31 * DAY);
      expect(await runDueJobs(db.prisma, () => now, DEFAULT_EVENT_SETTINGS)).toBe(0);
      expect((await db.prisma.profile.findFirstOrThrow()).fullName).toBe("Иванова Мария");

      await h.command(a, "privacy");
      await h.press(a, "privacy:withdraw");
      await h.press(a, "privacy:withdraw:yes");
      await h.press(a, "privacy:erase"); // from the "withdrawn" message: consent no longer in force
      expect(h.lastText(a.id)).toContain("Удалить");
      await h.press(a, "erase:yes");
      expect((await db.prisma.person.findFirstOrThrow()).telegramId).toBeLessThan(0n);
      const stranger = h.user(903);
      await h.press(stranger, "erase:yes"); // nobody the bot knows: nothing happens
      expect(await db.prisma.person.count()).toBe(1);
    });
  });

  describe("10. audiences", () => {
    it("a Lithuanian programme for care leavers and families never shows service members; the name is in Lithuanian", async () => {
      await start({ DEFAULT_LOCALE: "lt", PROGRAMME_AUDIENCES: "graduates,families", PROGRAMME_NAME_LT: "Šeimos stiprinimo programa" });
      const u = h.user(1001, "lt");
      await h.command(u, "start");
      await h.press(u, "lang:lt");
      const shown = h.texts(u.id).join("\n");
      expect(shown).toContain("Šeimos stiprinimo programa");
      expect(shown).not.toMatch(/kar(io|iai|ys)/i);
      await h.press(u, "consent:yes");
      await h.press(u, "menu:profile");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[0])).toEqual(["Palikau globos įstaigą", "Esu šeimos narys (-ė)"]);
      await h.press(u, "reg:role:service_member"); // forged
      expect(h.lastText(u.id)).toContain("Šis mygtukas");
      await h.press(u, "reg:role:family");
      await h.text(u, "Jonaitė Marija");
      expect(h.lastText(u.id)).not.toMatch(/kar/i); // no "how are you related to the service member"
      expect(h.lastText(u.id)).toContain("regione");
    });

    it("the default programme keeps all three roles, in Russian", async () => {
      const u = await h.member(1002);
      await h.press(u, "menu:profile");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toEqual(ROLES.map((r) => `reg:role:${r}`));
    });

    it("a programme for service members' families offers no mentoring; a forged press for it is refused", async () => {
      await start({ PROGRAMME_AUDIENCES: "military_families" });
      const u = await h.member(1003);
      await h.press(u, "menu:ask");
      const offered = Harness.buttons(h.last(u.id)).map((b) => b[1]).filter((d) => d.startsWith("form:cat:"));
      expect(offered).toContain("form:cat:payments");
      expect(offered).not.toContain("form:cat:mentoring");
      await h.press(u, "form:cat:mentoring"); // forged
      expect(h.lastText(u.id)).toContain("С чем нужна помощь");
      await start();
      const g = await h.member(1004);
      await h.press(g, "menu:ask");
      expect(Harness.buttons(h.last(g.id)).map((b) => b[1])).toContain("form:cat:mentoring");
    });

    it("refuses an unknown audience with one clear line", () => {
      expect(() => loadConfig({ BOT_TOKEN: "123456789:AAtest-token-for-tests-only_xxxxxxxxxx", PROGRAMME_AUDIENCES: "graduates,pirates" })).toThrow(/PROGRAMME_AUDIENCES must be a comma-separated list/);
    });
  });

  describe("11. command menus per role", () => {
    it("members see theirs only; a coordinator's chat gets the staff commands, taken away when the role goes; a refusal is not retried", async () => {
      const all = ["start", "menu", "ask", "queue", "case", "duty", "invite", "minors", "cancel"];
      expect(memberCommands(all)).toEqual(["start", "menu", "ask", "cancel"]);
      const coord = await coordinator(h, db, 7001);
      await queueCommandMenu(db.prisma, now, coord.id);
      await h.deliver();
      const set = h.calls.filter((c) => c.method === "setMyCommands").at(-1)!;
      expect(set.payload.scope).toEqual({ type: "chat", chat_id: 7001 });
      const names = set.payload.commands.map((c: { command: string }) => c.command);
      expect(names).toEqual(expect.arrayContaining(["ask", "queue", "case", "duty"]));
      expect(names).not.toContain("minors");
      await db.prisma.coordinator.update({ where: { telegramId: 7001n }, data: { active: false } });
      now = new Date(now.getTime() + 1000);
      await queueCommandMenu(db.prisma, now, coord.id);
      await h.deliver();
      expect(h.calls.filter((c) => c.method === "deleteMyCommands").at(-1)!.payload.scope).toEqual({ type: "chat", chat_id: 7001 });

      // Through an invite: an emulator that does not know the method answers an error; nothing is retried.
      h = await harness(db, { clock: () => now, env: { ...OPERATOR, ADMIN_TELEGRAM_IDS: "9001" }, intercept: (c) => (c.method === "setMyCommands" ? { ok: false, error_code: 404, description: "Not Found" } : undefined) });
      const admin = await h.member(9001);
      await h.command(admin, "invite", "RU-TAM payments");
      const link = /start=(inv_[A-Za-z0-9_-]+)/.exec(h.lastText(9001))![1]!;
      const newbie = await h.member(7003);
      await h.command(newbie, "start", link);
      await h.deliver();
      expect(h.calls.filter((c) => c.method === "setMyCommands")).toHaveLength(1);
      expect(await db.prisma.outbox.count({ where: { method: "commands", sentAt: null } })).toBe(0);
    });
  });

  describe("13. texts", () => {
    it("role buttons fit a phone (≤ 30 characters) in every language", () => {
      const res = loadResources();
      for (const l of LOCALES) {
        const reg = res[l].registration as { i_am: Record<string, string> };
        const aud = res[l].audience as { i_am_family: string };
        for (const label of [...Object.values(reg.i_am), aud.i_am_family]) expect(label.length, `${l}: ${label}`).toBeLessThanOrEqual(30);
      }
    });

    it("«В плену» is a choice, «погиб» gets condolence and the offer of a psychologist; urgency and categories read as a social worker would", async () => {
      const u = await h.member(1301);
      await h.press(u, "menu:profile");
      await h.press(u, "reg:role:family");
      await h.text(u, "Иванова Мария");
      await h.press(u, "form:relation:mother");
      expect(h.lastText(u.id)).toContain("Что с вашим близким?");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[0])).toContain("В плену");
      await h.press(u, "form:memberStatus:killed");
      expect(h.texts(u.id).join("\n")).toContain("Примите наши искренние соболезнования");
      expect(h.texts(u.id).join("\n")).toContain("Психологическая помощь");
      await h.text(u, "тамб");
      await h.press(u, "form:region:RU-TAM");
      await h.text(u, "+79001234567");
      expect(h.lastText(u.id)).toContain("по вашему местному времени");
      await h.press(u, "form:skip");
      await h.press(u, "form:confirm");
      await h.press(u, "menu:ask");
      const kb = h.last(u.id)!.payload.reply_markup.inline_keyboard as unknown[][];
      expect(kb[0]).toHaveLength(2);
      await h.press(u, "form:cat:payments");
      await h.text(u, "Не пришла выплата");
      expect(h.lastText(u.id)).toMatch(/^Получил\. Можно дописать/);
      await h.press(u, "form:done");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[0]).slice(0, 2)).toEqual(["Не срочно", "Срочно (нужно сегодня)"]);
    });

    it("'not resolved' under the rating puts the request back to its coordinator, who is told", async () => {
      const coord = await coordinator(h, db, 7001);
      const maria = await family(h, 1302);
      await ask(h, maria);
      await h.deliver();
      const c = await db.prisma.case.findFirstOrThrow();
      await h.press(coord, `case:take:${c.id}`);
      await h.press(coord, `case:resolve:${c.id}`);
      await h.deliver();
      const rate = h.sentTo(maria.id).find((x) => String(x.payload.text).includes("Вопрос не решён") || Harness.buttons(x).some((b) => b[1] === `rate:${c.id}:no`))!;
      expect(Harness.buttons(rate).at(-1)).toEqual(["Вопрос не решён", `rate:${c.id}:no`]);
      h.clear();
      await h.press(maria, `rate:${c.id}:no`);
      await h.press(maria, `rate:${c.id}:no`); // a double press
      expect(h.texts(maria.id).filter((t) => t.includes("снова в работе"))).toHaveLength(1);
      expect(await db.prisma.case.findFirstOrThrow()).toMatchObject({ status: "in_progress" });
      expect((await db.prisma.coordinator.findFirstOrThrow({ where: { telegramId: 7001n } })).openCases).toBe(1);
      await h.deliver();
      expect(h.texts(coord.id).join()).toContain("вопрос не решён");
      const other = await family(h, 1303);
      await h.press(other, `rate:${c.id}:no`); // someone else's request
      expect(h.answers().at(-1)!.payload.text).toContain("больше не действует");
      expect(await db.prisma.case.findFirstOrThrow()).toMatchObject({ status: "in_progress" });
    });

    it("dates are in the person's language and the programme's time zone, not UTC (Lithuanian 2026-11-23)", async () => {
      await start({ PROGRAMME_TIME_ZONE: "Europe/Vilnius" });
      const u = await h.member(1304, "lt");
      await h.command(u, "privacy");
      expect(h.lastText(u.id)).toMatch(/2026-11-23 12:00/); // 10:00 UTC in Vilnius 
      expect(h.lastText(u.id)).not.toContain("UTC");
    });
  });

  describe("14. no dead ends", () => {
    it("help, my requests, privacy, profile and a sent request each lead on", async () => {
      const u = await family(h, 1401);
      const lastButtons = () => Harness.buttons(h.last(u.id)).map((b) => b[1]);
      await h.command(u, "help");
      expect(lastButtons()).toEqual(["menu:main"]);
      await h.command(u, "mycases");
      expect(lastButtons()).toEqual(["menu:ask", "menu:main"]);
      await h.command(u, "privacy");
      expect(lastButtons()).toContain("menu:main");
      await h.command(u, "profile");
      expect(lastButtons()).toContain("menu:main");
      await ask(h, u);
      expect(lastButtons()).toEqual(["menu:mycases", "menu:main"]);
      await h.command(u, "mycases");
      expect(lastButtons().at(-1)).toBe("menu:main");
      await h.press(u, "menu:main");
      expect(h.lastText(u.id)).toContain("Главное меню");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[0])).toContain("ℹ️ Как пользоваться");
    });
  });
});
