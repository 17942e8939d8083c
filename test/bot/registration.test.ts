// Registration of graduates and families as people go through it, in all three languages.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { ENGINES, sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";

const LANGS = {
  ru: { who: "кто вы", name: "Как вас зовут", date: "Дата рождения", region: "В каком регионе", pick: "Выберите регион", tambov: "Тамбовская область", done: "вы зарегистрированы", profile: "👤 Мой профиль", query: "тамб" },
  en: { who: "who you are", name: "What is your name", date: "date of birth", region: "Which region", pick: "Choose the region", tambov: "Tambov Oblast", done: "you are registered", profile: "👤 My profile", query: "tamb" },
  lt: { who: "kas jūs esate", name: "Kuo jūs vardu", date: "Gimimo data", region: "Kuriame regione", pick: "Pasirinkite regioną", tambov: "Tambov Oblast", done: "jūs užsiregistravote", profile: "👤 Mano profilis", query: "tamb" },
} as const;

async function startRegistration(h: Harness, u: User, role: string) {
  await h.press(u, "menu:profile");
  await h.press(u, `reg:role:${role}`);
}

/** Goes through a graduate's form with good answers; returns the texts the person saw. */
async function registerGraduate(h: Harness, u: User, query = "тамб") {
  await startRegistration(h, u, "graduate");
  await h.text(u, "Иванова Мария Петровна");
  await h.text(u, "05.03.2006");
  await h.text(u, query);
  await h.press(u, "form:region:RU-TAM");
  await h.text(u, "Детский дом № 1 г. Тамбова");
  await h.press(u, "form:skip");
  await h.send(h.message(u, { contact: { phone_number: "79001234567", first_name: "Мария", user_id: u.id } }));
  await h.press(u, "form:interest:trainings");
  await h.press(u, "form:interest:mentoring");
  await h.press(u, "form:done");
}

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`graduate registration (${engine.name})`, () => {
    let db: TestDb;
    let h: Harness;
    beforeEach(async () => {
      db = await engine.create();
      h = await harness(db, { clock: () => new Date("2026-11-22T12:00:00Z") });
    });
    afterEach(async () => db.dispose());

    for (const [lang, L] of Object.entries(LANGS)) {
      it(`goes from the menu to a stored profile (${lang})`, async () => {
        const u = await h.member(900 + lang.length * 10 + lang.charCodeAt(0), lang);
        await h.press(u, "menu:profile");
        expect(h.lastText(u.id)).toContain(L.who);
        expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toEqual(["reg:role:graduate", "reg:role:family", "reg:role:service_member"]);
        h.clear();
        await registerGraduate(h, u, L.query);
        const texts = h.texts(u.id);
        expect(texts.find((t) => t.includes(L.name))).toBeDefined();
        expect(texts.find((t) => t.includes(L.date))).toBeDefined();
        expect(texts.find((t) => t.includes(L.region))).toBeDefined();
        const pick = h.sentTo(u.id).find((c) => String(c.payload.text).includes(L.pick))!;
        expect(Harness.buttons(pick)[0]).toEqual([L.tambov, "form:region:RU-TAM"]);
        // The interests message is edited in place with ticks.
        const edits = h.calls.filter((c) => c.method === "editMessageReplyMarkup" && JSON.stringify(c.payload).includes("✅"));
        expect(edits.length).toBe(2);
        const confirm = h.lastText(u.id);
        expect(confirm).toContain("Иванова Мария Петровна");
        expect(confirm).toContain("05.03.2006");
        expect(confirm).toContain(L.tambov);
        expect(confirm).toContain("+79001234567");
        expect(await db.prisma.profile.count()).toBe(0); // not a participant until confirmed
        await h.press(u, "form:confirm");
        expect(h.lastText(u.id)).toContain(L.done);
        expect(Harness.buttons(h.last(u.id)).map((b) => b[1]).slice(0, 2)).toEqual(["menu:ask", "menu:profile"]);
        expect(Harness.buttons(h.last(u.id))[1]![0]).toBe(L.profile);
        const p = await db.prisma.profile.findFirstOrThrow();
        expect(p).toMatchObject({
          role: "graduate", fullName: "Иванова Мария Петровна", birthDate: "2006-03-05", regionCode: "RU-TAM",
          institution: "Детский дом № 1 г. Тамбова", leftYear: null, phone: "+79001234567", interests: "trainings,mentoring", relation: null,
        });
        expect(await db.prisma.roleChange.count()).toBe(1);
        const audit = await db.prisma.auditEvent.findMany({ where: { action: "profile.registered" } });
        expect(audit).toHaveLength(1);
        expect(JSON.stringify(audit)).not.toContain("Иванова");
      });
    }

    it("double-tapping confirm stores one profile; the second tap is told the button is old", async () => {
      const u = await h.member(950);
      await registerGraduate(h, u);
      const confirmId = h.lastMessageId(u.id)!;
      await h.press(u, "form:confirm", confirmId);
      await h.press(u, "form:confirm", confirmId);
      expect(await db.prisma.profile.count()).toBe(1);
      expect(await db.prisma.roleChange.count()).toBe(1);
      expect(h.answers().at(-1)?.payload.text).toContain("больше не действует");
    });
  });
}

describe("family registration, profile and personal data", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    h = await harness(db, { clock: () => new Date("2026-11-22T12:00:00Z") });
  });
  afterEach(async () => db.dispose());

  async function registeredGraduate(id: number) {
    const u = await h.member(id);
    await registerGraduate(h, u);
    await h.press(u, "form:confirm");
    h.clear();
    return u;
  }

  async function registerFamily(u: User) {
    await startRegistration(h, u, "family");
    await h.text(u, "Jonaitė Marija");
    await h.press(u, "form:relation:wife");
    await h.press(u, "form:skip");
    await h.text(u, "tamb");
    await h.press(u, "form:region:RU-TAM");
    await h.text(u, "+7 (900) 123-45-67");
    await h.press(u, "form:contactTime:evening");
  }

  it("registers a family member with optional questions skipped, and asks nothing operational", async () => {
    const u = await h.member(960, "en");
    await registerFamily(u);
    const asked = h.texts(u.id).join("\n");
    expect(asked).toContain("How are you related");
    expect(asked).toContain("What has happened to your relative");
    expect(asked).not.toMatch(/unit|military|rank/i);
    expect(h.lastText(u.id)).toContain("Evening (17–20)");
    await h.press(u, "form:confirm");
    const p = await db.prisma.profile.findFirstOrThrow();
    expect(p).toMatchObject({ role: "family", fullName: "Jonaitė Marija", relation: "wife", memberStatus: null, phone: "+79001234567", contactTime: "evening", birthDate: null });
  });

  it("Back returns to the previous question and keeps going from there", async () => {
    const u = await h.member(961);
    await startRegistration(h, u, "graduate");
    expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toEqual(["cancel"]); // no Back on the first question
    await h.text(u, "Иванова Мария");
    expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toEqual(["form:back", "cancel"]);
    await h.press(u, "form:back");
    expect(h.lastText(u.id)).toContain("Как вас зовут");
    await h.text(u, "Петрова Анна");
    expect(h.lastText(u.id)).toContain("Дата рождения");
  });

  it("edits one field from /profile through the same checks, and keeps an audit without the value", async () => {
    const u = await registeredGraduate(962);
    await h.command(u, "profile");
    const card = h.last(u.id)!;
    expect(card.payload.text).toContain("Мой профиль");
    expect(Harness.buttons(card).map((b) => b[1])).toContain("profile:edit:phone");
    await h.press(u, "profile:edit:phone");
    await h.text(u, "12345");
    expect(h.lastText(u.id)).toContain("Не похоже на номер телефона");
    await h.text(u, "8 900 765-43-21");
    expect(h.lastText(u.id)).toContain("Сохранено");
    expect(h.lastText(u.id)).toContain("+79007654321");
    expect((await db.prisma.profile.findFirstOrThrow()).phone).toBe("+79007654321");
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "profile.updated" } });
    expect(ev.detail).toBe("phone");
  });

  it("refuses a forged edit of a field that is not the person's role's", async () => {
    const u = await h.member(963, "en");
    await registerFamily(u);
    await h.press(u, "form:confirm");
    h.clear();
    for (const data of ["profile:edit:birthDate", "profile:edit:telegramId", "reg:role:admin", "reg:role:coordinator"]) await h.press(u, data);
    expect(h.texts(u.id).every((t) => t.includes("no longer works"))).toBe(true);
    expect(await db.prisma.session.count({ where: { key: { startsWith: "conversation:" }, value: { contains: "profile-edit" } } })).toBe(0);
  });

  it("changes role with history, dropping the old role's fields", async () => {
    const u = await registeredGraduate(964);
    await h.press(u, "profile:role");
    expect(h.lastText(u.id)).toContain("Выберите новую роль");
    await h.press(u, "reg:role:family");
    await h.text(u, "Иванова Мария");
    await h.press(u, "form:relation:sibling");
    await h.press(u, "form:memberStatus:wounded");
    await h.text(u, "Москва");
    await h.press(u, "form:region:RU-MOW");
    await h.text(u, "+79001234567");
    await h.press(u, "form:skip");
    await h.press(u, "form:confirm");
    expect(h.lastText(u.id)).toContain("Роль изменена");
    const p = await db.prisma.profile.findFirstOrThrow();
    expect(p).toMatchObject({ role: "family", relation: "sibling", memberStatus: "wounded", regionCode: "RU-MOW", birthDate: null, institution: null, interests: "" });
    const history = await db.prisma.roleChange.findMany({ orderBy: { id: "asc" } });
    expect(history.map((r) => [r.fromRole, r.toRole])).toEqual([[null, "graduate"], ["graduate", "family"]]);
  });

  it("/mydata sends a readable JSON file with everything stored", async () => {
    const u = await registeredGraduate(965);
    await h.command(u, "mydata");
    const doc = h.calls.find((c) => c.method === "sendDocument")!;
    expect(doc.payload.multipart).toMatch(/filename="?my-data.json/);
    const json = JSON.parse(doc.payload.multipart.slice(doc.payload.multipart.indexOf("{"), doc.payload.multipart.lastIndexOf("}") + 1));
    expect(json["Профиль"]["ФИО"]).toBe("Иванова Мария Петровна");
    expect(json["Профиль"]["Регион"]).toBe("Тамбовская область");
    expect(json["Профиль"]["Телефон"]).toBe("+79001234567");
    expect(json["Профиль"]["Интересы"]).toBe("Тренинги, семинары, выезды, Наставник");
    expect(json["Согласия на обработку данных"]).toHaveLength(1);
    expect(json["Telegram ID"]).toBe(965);
    expect(json["Журнал действий"].map((a: Record<string, string>) => a["Действие"])).toContain("profile.registered");
    expect(await db.prisma.auditEvent.count({ where: { action: "data.exported" } })).toBe(1);
  });

  it("/deleteme erases personal data after confirmation, keeps anonymous counts, and forgets the person", async () => {
    const u = await registeredGraduate(966);
    await h.command(u, "deleteme");
    expect(h.lastText(u.id)).toContain("Удалить ваши данные?");
    await h.press(u, "erase:no");
    expect((await db.prisma.profile.findFirstOrThrow()).fullName).not.toBeNull();
    await h.command(u, "deleteme");
    await h.press(u, "erase:yes");
    expect(h.lastText(u.id)).toContain("Ваши данные удалены");
    const p = await db.prisma.profile.findFirstOrThrow({ include: { person: true } });
    expect(p).toMatchObject({ role: "graduate", regionCode: "RU-TAM", fullName: null, phone: null, birthDate: null, institution: null });
    expect(p.erasedAt).not.toBeNull();
    expect(p.person.telegramId < 0n).toBe(true);
    expect(await db.prisma.session.count({ where: { key: { in: ["966", "conversation:966"] } } })).toBe(0);
    expect(await db.prisma.consent.count({ where: { withdrawnAt: null } })).toBe(0);
    expect(await db.prisma.auditEvent.count({ where: { action: "data.erased" } })).toBe(1);
    // Every stored text is free of the person's details.
    const dump = JSON.stringify(await Promise.all([db.prisma.person.findMany(), db.prisma.profile.findMany(), db.prisma.session.findMany(), db.prisma.auditEvent.findMany()]), (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(dump).not.toMatch(/Иванова|79001234567|2006-03-05|Детский дом|"966"/);
    h.clear();
    await h.command(u, "start");
    expect(h.lastText(u.id)).toContain("Выберите язык");
  });
});
