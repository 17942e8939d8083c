// Everything people send that a form does not expect, and leaving and coming back to a form.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";

let db: TestDb;
let h: Harness;
beforeEach(async () => {
  db = await sqliteTestDb();
  h = await harness(db, { clock: () => new Date("2026-11-22T12:00:00Z") });
});
afterEach(async () => db.dispose());

async function atStep(u: User, answers: string[]) {
  await h.press(u, "menu:profile");
  await h.press(u, "reg:role:graduate");
  for (const a of answers) await h.text(u, a);
  h.clear();
}

/** Through name, date, region and the two optional questions, to the phone question. */
async function toPhone(u: User) {
  await atStep(u, ["Иванова Мария", "05.03.2006", "тамб"]);
  await h.press(u, "form:region:RU-TAM");
  await h.press(u, "form:skip");
  await h.press(u, "form:skip");
}

const sticker = { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } } as const;

describe("bad input in the form", () => {
  it("asks for text when a name step gets a photo, sticker or voice, and repeats the question", async () => {
    const u = await h.member(1001);
    await atStep(u, []);
    await h.send(h.message(u, sticker as never));
    await h.send(h.message(u, { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }));
    await h.send(h.message(u, { voice: { file_id: "v", file_unique_id: "v", duration: 2 } }));
    for (const t of h.texts(u.id)) {
      expect(t).toContain("Пожалуйста, ответьте текстом.");
      expect(t).toContain("Как вас зовут?");
    }
    expect(h.texts(u.id)).toHaveLength(3);
  });

  it("explains what is wrong with a name: blank, digits, one word, 300 characters", async () => {
    const u = await h.member(1002);
    await atStep(u, []);
    for (const [input, expected] of [
      ["   ", "напишите фамилию и имя"], ["Мария 1990", "не должно быть цифр"], ["Мария", "и фамилию, и имя"], ["Я".repeat(300), "не больше 100 символов"],
    ]) {
      await h.text(u, input!);
      expect(h.lastText(u.id)).toContain(expected);
    }
    await h.text(u, "Иванова Мария");
    expect(h.lastText(u.id)).toContain("Дата рождения");
  });

  it("refuses 31.02.2005, ages outside 14–35, and accepts 5 марта 2006", async () => {
    const u = await h.member(1003);
    await atStep(u, ["Иванова Мария"]);
    await h.text(u, "31.02.2005");
    expect(h.lastText(u.id)).toContain("Такой даты не существует");
    await h.text(u, "01.01.2020");
    expect(h.lastText(u.id)).toContain("По этой дате вам 6, а регистрация выпускников(-ц) — с 14 лет");
    await h.text(u, "5 марта 2006");
    expect(h.lastText(u.id)).toContain("В каком регионе");
  });

  it("region: nothing found, several found, one found; a forged region code is refused", async () => {
    const u = await h.member(1004);
    await atStep(u, ["Иванова Мария", "05.03.2006"]);
    await h.text(u, "Атлантида");
    expect(h.lastText(u.id)).toContain("По запросу «Атлантида» регион не найден");
    await h.text(u, "область");
    expect(h.lastText(u.id)).toMatch(/Нашлось 47 регионов, показаны первые 8/);
    expect(Harness.buttons(h.last(u.id)).filter((b) => b[1].startsWith("form:region:"))).toHaveLength(8);
    await h.text(u, "липец");
    expect(Harness.buttons(h.last(u.id))[0]).toEqual(["Липецкая область", "form:region:RU-LIP"]);
    await h.press(u, "form:region:RU-XXX");
    expect(h.lastText(u.id)).toContain("Этот регион сейчас недоступен");
    await h.press(u, "form:region:LT-VL"); // exists, but this programme serves Russia
    expect(h.lastText(u.id)).toContain("Этот регион сейчас недоступен");
    await h.press(u, "form:region:RU-LIP");
    expect(h.lastText(u.id)).toContain("Какое учреждение");
  });

  it("the region question's example is a region the programme serves, whatever language the person reads", async () => {
    let id = 1100;
    for (const [countries, prefix] of [["RU", "RU-"], ["LT", "LT-"]] as const) {
      const bot = countries === "RU" ? h : await harness(db, { env: { REGION_COUNTRIES: countries } });
      for (const lang of ["ru", "en", "lt"]) {
        const u = await bot.member(++id, lang);
        await bot.press(u, "menu:profile");
        await bot.press(u, "reg:role:graduate");
        await bot.text(u, "Onaitė Ona");
        await bot.text(u, "05.03.2006");
        const example = /[«“„]([^»”“]+)[»”“]/.exec(bot.lastText(u.id)!)?.[1];
        expect(example, `${countries}/${lang}: ${bot.lastText(u.id)}`).toBeTruthy();
        await bot.text(u, example!);
        const found = Harness.buttons(bot.last(u.id)).filter((b) => b[1].startsWith("form:region:"));
        expect(found.length, `${countries}/${lang}: "${example}" finds a region`).toBeGreaterThan(0);
        for (const b of found) expect(b[1].slice("form:region:".length)).toMatch(new RegExp(`^${prefix}`));
      }
    }
  });

  it("a new privacy policy while someone is mid-form: the form finishes, then the new policy is asked first", async () => {
    const u = await h.member(1200);
    await atStep(u, ["Иванова Мария", "05.03.2006"]);
    // The programme restarts the bot with a new policy version while she is at the region step.
    const next = await harness(db, { env: { PRIVACY_POLICY_VERSION: "2027-01" }, clock: () => new Date("2026-11-22T12:00:00Z") });
    await next.text(u, "тамб");
    expect(next.lastText(u.id)).toContain("Выберите регион");
    await next.press(u, "form:region:RU-TAM");
    for (const skip of [1, 2]) await next.press(u, "form:skip");
    await next.text(u, "8 900 123-45-67");
    await next.press(u, "form:interest:trainings");
    await next.press(u, "form:done");
    await next.press(u, "form:confirm");
    expect(next.texts(u.id).some((t) => t.includes("вы зарегистрированы"))).toBe(true);
    expect(await db.prisma.profile.count({ where: { fullName: "Иванова Мария" } })).toBe(1);
    // Anything after the form waits for the new consent.
    next.clear();
    await next.command(u, "mycases");
    expect(next.texts(u.id).join("\n")).toContain("Вы даёте согласие");
    await next.command(u, "start");
    expect(next.texts(u.id).join("\n")).toContain("Условия обработки персональных данных обновились");
  });

  it("phone: someone else's shared contact is refused; Russian and Lithuanian typed formats are accepted", async () => {
    const u = await h.member(1005);
    await toPhone(u);
    const phoneQ = h.last(u.id)!;
    expect(phoneQ.payload.reply_markup.keyboard[0][0]).toMatchObject({ request_contact: true });
    await h.send(h.message(u, { contact: { phone_number: "+79990000000", first_name: "Чужой", user_id: 777 } }));
    expect(h.lastText(u.id)).toContain("Это чужой контакт");
    await h.send(h.message(u, { contact: { phone_number: "+79990000000", first_name: "Без id" } }));
    expect(h.lastText(u.id)).toContain("Это чужой контакт");
    await h.text(u, "+370 612 34567");
    expect(h.texts(u.id).some((t) => t.includes("Номер +37061234567 записан"))).toBe(true);
    // The reply keyboard with the contact button is taken away once the number is in.
    expect(h.sentTo(u.id).some((c) => c.payload.reply_markup?.remove_keyboard === true)).toBe(true);
  });

  it("a button of an earlier question gets a clear answer and the current question again", async () => {
    const u = await h.member(1006);
    await atStep(u, ["Иванова Мария", "05.03.2006", "тамб"]);
    await h.press(u, "form:region:RU-TAM");
    await h.press(u, "form:region:RU-TAM"); // pressed again, the form is at the next question
    expect(h.lastText(u.id)).toContain("Эта кнопка относится к другому вопросу");
    expect(h.lastText(u.id)).toContain("Какое учреждение");
  });

  it("a button from a finished registration is answered as out of date", async () => {
    const u = await h.member(1007);
    await atStep(u, ["Иванова Мария", "05.03.2006", "тамб"]);
    await h.press(u, "form:region:RU-TAM");
    await h.command(u, "cancel");
    h.clear();
    await h.press(u, "form:region:RU-TAM");
    await h.press(u, "form:interest:housing");
    expect(h.answers().map((a) => a.payload.text)).toEqual(Array(2).fill("Эта кнопка больше не действует. Отправьте /menu, чтобы открыть меню."));
    expect(await db.prisma.profile.count()).toBe(0);
  });
});

describe("leaving a form and coming back", () => {
  it("/help in the middle answers and the form waits at the same question", async () => {
    const u = await h.member(1010);
    await atStep(u, ["Иванова Мария"]);
    await h.command(u, "help");
    expect(h.lastText(u.id)).toContain("/profile");
    await h.text(u, "05.03.2006");
    expect(h.lastText(u.id)).toContain("В каком регионе");
  });

  it("/start offers to continue or start over; Continue repeats the question, Start over begins again", async () => {
    const u = await h.member(1011);
    await atStep(u, ["Иванова Мария"]);
    await h.command(u, "start");
    expect(h.lastText(u.id)).toContain("незаконченная анкета");
    expect(Harness.buttons(h.last(u.id)).map((b) => b[1])).toEqual(["form:resume", "form:restart", "cancel"]);
    await h.press(u, "form:resume");
    expect(h.lastText(u.id)).toContain("Дата рождения");
    await h.press(u, "menu:profile");
    expect(h.lastText(u.id)).toContain("незаконченная анкета");
    await h.press(u, "form:restart");
    expect(h.lastText(u.id)).toContain("Как вас зовут");
    await h.text(u, "Петрова Анна");
    await h.text(u, "05.03.2006");
    expect(h.lastText(u.id)).toContain("В каком регионе");
  });

  it("continues after a bot restart and days later, and an abandoned draft is not a participant", async () => {
    let now = new Date("2026-11-22T12:00:00Z");
    h = await harness(db, { clock: () => now });
    const u = await h.member(1012);
    await atStep(u, ["Иванова Мария", "05.03.2006"]);
    expect(await db.prisma.profile.count()).toBe(0);
    now = new Date("2026-11-29T09:00:00Z");
    const restarted = await harness(db, { clock: () => now });
    await restarted.command(u, "start");
    expect(restarted.lastText(u.id)).toContain("незаконченная анкета");
    await restarted.press(u, "form:resume");
    expect(restarted.lastText(u.id)).toContain("В каком регионе");
    await restarted.text(u, "тамб");
    await restarted.press(u, "form:region:RU-TAM");
    expect(restarted.lastText(u.id)).toContain("Какое учреждение");
    // Nothing was sent twice by replaying the stored form.
    expect(restarted.texts(u.id).filter((t) => t.includes("Как вас зовут"))).toHaveLength(0);
  });

  it("Cancel (button or typed on the phone keyboard) leaves the form and stores nothing", async () => {
    const u = await h.member(1013);
    await toPhone(u);
    await h.text(u, "✖️ Отмена");
    expect(h.lastText(u.id)).toContain("Действие отменено");
    expect(await db.prisma.profile.count()).toBe(0);
    await h.press(u, "menu:profile");
    expect(h.lastText(u.id)).toContain("кто вы");
    await h.press(u, "reg:role:graduate");
    await h.press(u, "cancel");
    expect(h.lastText(u.id)).toContain("Действие отменено");
  });
});
