// First contact as a person goes through it: /start, language, consent, menu.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`first contact (${engine.name})`, () => {
    let db: TestDb;
    let h: Harness;
    beforeEach(async () => {
      db = await engine.create();
      h = await harness(db);
    });
    afterEach(async () => db.dispose());

    it("greets in the client's language and pre-selects it", async () => {
      const anna = h.user(501, "ru");
      await h.command(anna, "start");
      const texts = h.texts(anna.id);
      expect(texts[0]).toContain("Здравствуйте");
      expect(texts[1]).toContain("Выберите язык");
      expect(Harness.buttons(h.last(anna.id))).toEqual([
        ["✓ Русский", "lang:ru"],
        ["English", "lang:en"],
        ["Lietuvių", "lang:lt"],
      ]);
      const john = h.user(502, "en-GB");
      await h.command(john, "start");
      expect(h.texts(john.id)[0]).toContain("Hello");
      expect(Harness.buttons(h.last(john.id))[1]).toEqual(["✓ English", "lang:en"]);
    });

    it("falls back to the default language for a client language it does not speak", async () => {
      const u = h.user(503, "de");
      await h.command(u, "start");
      expect(h.texts(u.id)[0]).toContain("Здравствуйте");
    });

    it("walks /start → language → consent → main menu, storing only what is needed", async () => {
      const u = h.user(510, "ru");
      await h.command(u, "start");
      await h.press(u, "lang:en");
      // The language message is edited to confirm the choice, then consent is asked in English.
      expect(h.calls.find((c) => c.method === "editMessageText")?.payload.text).toBe("Language: English");
      const consent = h.last(u.id)!;
      expect(consent.payload.text).toContain("Test programme");
      expect(consent.payload.text).toContain("Do you consent");
      expect(Harness.buttons(consent).map((b) => b[1])).toEqual(["consent:yes", "consent:no"]);

      // Before consent: one row with the Telegram id and language, no name anywhere.
      const person = await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 510n } });
      expect(person.locale).toBe("en");
      expect(await db.prisma.consent.count()).toBe(0);
      const stored = (await db.prisma.session.findMany()).map((s) => s.value).join(" ");
      expect(stored).not.toContain("Person510");
      expect(stored).not.toContain("Testova");

      await h.press(u, "consent:yes");
      const consents = await db.prisma.consent.findMany({ where: { personId: person.id } });
      expect(consents).toHaveLength(1);
      expect(consents[0]!.version).toBe("2");
      expect(consents[0]!.withdrawnAt).toBeNull();
      expect(h.answers().at(-1)?.payload.text).toBe("Consent recorded");
      const menu = h.last(u.id)!;
      expect(menu.payload.text).toContain("Main menu");
      expect(Harness.buttons(menu).map((b) => b[1])).toEqual(["menu:profile", "menu:ask", "menu:mycases", "menu:events", "menu:faq", "menu:help", "menu:language", "menu:privacy"]);
      expect(Harness.buttons(menu)[0]![0]).toBe("📝 Register");
      const audit = await db.prisma.auditEvent.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
      expect(audit.map((a) => a.action)).toEqual(["locale.changed", "consent.given"]);
    });

    it("records consent once when 'I agree' is pressed twice", async () => {
      const u = h.user(511);
      await h.command(u, "start");
      await h.press(u, "lang:ru");
      const prompt = h.lastMessageId(u.id)!;
      await h.press(u, "consent:yes", prompt);
      await h.press(u, "consent:yes", prompt);
      expect(await db.prisma.consent.count()).toBe(1);
      expect(h.answers().at(-1)?.payload.text).toBe("Согласие уже записано");
      expect(h.texts(u.id).filter((t) => t.includes("Главное меню"))).toHaveLength(1);
    });

    it("respects a refusal and asks again only when the person writes", async () => {
      const u = h.user(512);
      await h.command(u, "start");
      await h.press(u, "lang:ru");
      await h.press(u, "consent:no");
      expect(h.lastText(u.id)).toContain("Без согласия");
      const p = await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 512n } });
      expect(p.refusedAt).not.toBeNull();
      expect(await db.prisma.consent.count()).toBe(0);
      h.clear();
      await h.text(u, "Мне нужна помощь с выплатами");
      expect(h.texts(u.id)[0]).toContain("нужно ваше согласие");
      expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toEqual(["consent:yes", "consent:no"]);
      await h.press(u, "consent:yes");
      expect((await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 512n } })).refusedAt).toBeNull();
    });

    it("shows the consent prompt, not a menu, to a person who has not agreed", async () => {
      const u = h.user(513);
      await h.command(u, "start");
      await h.press(u, "lang:ru");
      h.clear();
      await h.press(u, "menu:privacy");
      expect(h.lastText(u.id)).toContain("Вы даёте согласие");
      h.clear();
      await h.command(u, "menu");
      expect(h.texts(u.id)[0]).toContain("нужно ваше согласие");
      expect(h.texts(u.id).join()).not.toContain("Главное меню");
    });

    it("welcomes back a person who already agreed", async () => {
      const u = h.user(514, "lt");
      await h.command(u, "start");
      await h.press(u, "lang:lt");
      await h.press(u, "consent:yes");
      h.clear();
      await h.command(u, "start");
      expect(h.lastText(u.id)).toContain("Sveiki sugrįžę");
      expect(h.lastText(u.id)).toContain("Pagrindinis meniu");
    });

    it("asks again when the privacy terms get a new version", async () => {
      const u = h.user(515);
      await h.command(u, "start");
      await h.press(u, "lang:ru");
      await h.press(u, "consent:yes");
      const h2 = await harness(db, { env: { PRIVACY_POLICY_VERSION: "3", PRIVACY_POLICY_URL: "https://example.org/privacy" } });
      await h2.command(u, "start");
      expect(h2.texts(u.id)[0]).toContain("обновились");
      expect(h2.lastText(u.id)).toContain("https://example.org/privacy");
      await h2.press(u, "consent:yes");
      const rows = await db.prisma.consent.findMany({ orderBy: { id: "asc" } });
      expect(rows.map((r) => [r.version, r.withdrawnAt === null])).toEqual([["2", false], ["3", true]]);
    });
  });
}
