// What the people this bot serves notice (issue 11, points 1–6 and 12): crisis lines and the
// programme's contacts wherever they are needed; honest words after a request; the name of the
// coordinator who took it; voice, audio, video and video notes relayed both ways; edits relayed as
// corrections; asking for help without registering; a ping a coordinator can act on at a glance.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness, type HarnessOptions } from "../helpers/harness.js";
import { ask, coordinator, family, takenCase } from "../helpers/people.js";
import { addCoordinator } from "../../src/services/cases/coordinators.js";
import { CAPTION_LIMIT, TEXT_LIMIT, visibleLength } from "../../src/services/text.js";

const CONTACTS = { PROGRAMME_PHONE: "+7 800 555-35-35", PROGRAMME_EMAIL: "help@example.org" };
const voice = (file_id: string, caption?: string) => ({ voice: { file_id, file_unique_id: file_id, duration: 7 }, ...(caption ? { caption } : {}) });
const SENDS = ["sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendAudio", "sendVideo", "sendVideoNote"];

let db: TestDb;
let h: Harness;
const start = async (opts: HarnessOptions = {}) => (h = await harness(db, { ...opts, env: { ...CONTACTS, ...opts.env } }));
beforeEach(async () => {
  db = await sqliteTestDb();
  await start();
});
afterEach(async () => db.dispose());

/** Everything sent to a chat, by any method, in order. */
const sent = (chatId: number) => h.calls.filter((c) => SENDS.includes(c.method) && Number(c.payload.chat_id) === chatId);

/** A family member who told everything a ping can show. */
async function fullFamily(id: number, name = "Петрова Анна", lang = "ru"): Promise<User> {
  const u = await h.member(id, lang);
  await h.press(u, "menu:profile");
  await h.press(u, "reg:role:family");
  await h.text(u, name);
  await h.press(u, "form:relation:mother");
  await h.press(u, "form:memberStatus:missing");
  await h.text(u, "прим");
  await h.press(u, "form:region:RU-PRI");
  await h.text(u, "+79001234567");
  await h.press(u, "form:contactTime:evening");
  await h.press(u, "form:confirm");
  h.clear();
  return u;
}

describe("1. crisis lines and the programme's contacts", () => {
  it("/help ends with 112 first, the crisis lines and the programme's phone, e-mail and hours, in ru, en and lt", async () => {
    const expected = { ru: ["Если есть угроза жизни — звоните <b>112</b>", "8-800-2000-122", "+7 800 555-35-35", "пн–пт 09:00–18:00"], en: ["If there is a threat to life, call <b>112</b>", "8-800-2000-122", "help@example.org", "Mon–Fri 09:00–18:00"], lt: ["Jei gresia pavojus gyvybei, skambinkite <b>112</b>", "8-800-2000-122", "+7 800 555-35-35", "pr–pn 09:00–18:00"] };
    for (const [lang, parts] of Object.entries(expected)) {
      const u = await h.member(lang === "ru" ? 8001 : lang === "en" ? 8002 : 8003, lang);
      await h.command(u, "help");
      const text = h.lastText(u.id);
      for (const p of parts) expect(text).toContain(p);
      expect(text.indexOf("112")).toBeLessThan(text.indexOf(parts[1]!));
    }
  });

  it("a programme's own crisis lines replace the defaults; a Lithuanian programme shows Lithuanian lines", async () => {
    await start({ env: { CRISIS_LINES_RU: "8-800-100-49-94 Горячая линия программы", REGION_COUNTRIES: "RU" } });
    const u = await h.member(8004);
    await h.command(u, "help");
    expect(h.lastText(u.id)).toContain("• Горячая линия программы: <b>8-800-100-49-94</b>");
    expect(h.lastText(u.id)).not.toContain("8-800-2000-122");
    await start({ env: { DEFAULT_LOCALE: "lt" } });
    const v = await h.member(8005, "lt");
    await h.command(v, "help");
    expect(h.lastText(v.id)).toContain("Vilties linija");
    expect(h.lastText(v.id)).not.toContain("8-800-2000-122");
  });

  it("refusing consent still leaves the person with the programme's phone and the crisis lines", async () => {
    const u = h.user(8006);
    await h.command(u, "start");
    await h.press(u, "lang:ru");
    await h.press(u, "consent:no");
    const last = h.lastText(u.id);
    expect(last).toContain("помощь без бота");
    expect(last).toContain("112");
    expect(last).toContain("+7 800 555-35-35");
  });

  it("the urgency step shows 112 and the lines; an urgent request's reply repeats them", async () => {
    await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    await h.press(maria, "menu:ask");
    await h.press(maria, "form:cat:payments");
    await h.text(maria, "Нужна помощь с документами");
    await h.press(maria, "form:done");
    expect(h.lastText(maria.id)).toContain("Насколько срочно?");
    expect(h.lastText(maria.id)).toContain("112");
    await h.press(maria, "form:urgency:urgent");
    await h.press(maria, "form:confirm");
    const created = h.lastText(maria.id);
    expect(created).toContain("Вы отметили обращение как срочное");
    expect(created).toContain("112");
    expect(created).toContain("+7 800 555-35-35");
  });

  it("words of crisis in a description or in a message of an open case bring the crisis lines at once; the message still reaches the coordinator", async () => {
    const { coord, maria, c } = await takenCase(h, db);
    await h.text(maria, "муж бьет меня, я боюсь");
    expect(h.texts(maria.id).at(-2)).toContain("Передано координатору");
    expect(h.lastText(maria.id)).toContain("вы не одни");
    expect(h.lastText(maria.id)).toContain("112");
    await h.deliver();
    expect(h.lastText(coord.id)).toContain("муж бьет меня");

    const anna = await family(h, 7102);
    await h.press(anna, "menu:ask");
    await h.press(anna, "form:cat:psychology");
    await h.text(anna, "не хачу жить после того что случилось");
    expect(h.texts(anna.id).at(-2)).toContain("112");
    expect(h.lastText(anna.id)).toContain("Записал");
    expect(c.id).toBeGreaterThan(0);
  });
});

describe("2–3. honest promises and the coordinator's name", () => {
  it("a coordinator found: they write here in working hours — never the acknowledgement timer", async () => {
    await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    await ask(h, maria);
    const created = h.lastText(maria.id);
    expect(created).toContain("Координатор напишет вам здесь, в этом чате, в рабочее время программы: пн–пт 09:00–18:00");
    expect(created).not.toMatch(/минут/);
  });

  it("nobody free: said honestly, with the programme's phone and the crisis lines; and again when the last one declines later", async () => {
    const maria = await family(h, 7101);
    await ask(h, maria);
    const created = h.lastText(maria.id);
    expect(created).toContain("сейчас нет свободного координатора");
    expect(created).toContain("+7 800 555-35-35");
    expect(created).toContain("112");

    const coord = await coordinator(h, db, 7001);
    const olga = await family(h, 7102);
    await ask(h, olga);
    const c = await db.prisma.case.findFirstOrThrow({ where: { requester: { telegramId: BigInt(olga.id) } } });
    await h.press(coord, `case:decline:${c.id}`);
    await h.press(coord, `case:why:${c.id}:busy`);
    await h.deliver();
    expect(h.lastText(olga.id)).toContain(`Обращение #${c.number}: сейчас нет координатора, который может его взять`);
    expect(h.lastText(olga.id)).toContain("112");
    // Told once, however often it is offered round again.
    expect(h.texts(olga.id).filter((t) => t.includes("сейчас нет координатора"))).toHaveLength(1);
  });

  it("the taken notice names the coordinator by first name, in the requester's language", async () => {
    for (const [lang, id, expected] of [["en", 7111, "Coordinator Person7001 is handling your request"], ["lt", 7112, "nagrinėja koordinatorius Person7001"]] as const) {
      const coord = await db.prisma.coordinator.findFirst() ? { id: 7001 } : await coordinator(h, db, 7001, { maxOpen: 10 });
      const u = await family(h, id, lang);
      await ask(h, u);
      const c = await db.prisma.case.findFirstOrThrow({ where: { requester: { telegramId: BigInt(id) } } });
      await h.press(h.user(coord.id), `case:take:${c.id}`);
      await h.deliver();
      expect(h.lastText(id)).toContain(expected);
    }
  });
});

describe("4. voice, audio, video and video notes", () => {
  it("a voice message each way, an audio, a video and a video note reach the other side with the case number", async () => {
    const { coord, maria, c } = await takenCase(h, db);
    await h.send(h.message(maria, voice("VOICE-1")));
    expect(h.lastText(maria.id)).toContain("Передано координатору");
    await h.send(h.message(maria, { video_note: { file_id: "NOTE-1", file_unique_id: "n", length: 240, duration: 5 } }));
    await h.send(h.message(maria, { audio: { file_id: "AUDIO-1", file_unique_id: "a", duration: 60 }, caption: "запись разговора" }));
    await h.deliver();
    const got = sent(coord.id);
    const v = got.find((x) => x.method === "sendVoice")!;
    expect(v.payload).toMatchObject({ voice: "VOICE-1", caption: `💬 <b>#${c.number}</b> · Заявитель` });
    // A video note carries no caption: a header line goes first, then the note.
    const note = got.findIndex((x) => x.method === "sendVideoNote");
    expect(got[note]!.payload).toEqual({ chat_id: coord.id, video_note: "NOTE-1" });
    expect(got[note - 1]!.payload.text).toBe(`💬 <b>#${c.number}</b> · Заявитель (1/2)\n🎥 видеосообщение (ниже)`);
    expect(got.find((x) => x.method === "sendAudio")!.payload.caption).toContain("запись разговора");

    await h.send(h.message(coord, { ...voice("VOICE-2", "Перезвоню завтра"), reply_to_message: undefined }));
    expect(h.lastText(coord.id)).toContain("Отправлено заявителю");
    await h.send(h.message(coord, { video: { file_id: "VIDEO-1", file_unique_id: "v", width: 1, height: 1, duration: 3 } }));
    await h.deliver();
    expect(sent(maria.id).find((x) => x.method === "sendVoice")!.payload).toMatchObject({ voice: "VOICE-2", caption: `💬 <b>#${c.number}</b> · Координатор\nПерезвоню завтра` });
    expect(sent(maria.id).find((x) => x.method === "sendVideo")!.payload.video).toBe("VIDEO-1");
    const kinds = (await db.prisma.caseMessage.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } })).map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(["voice", "video_note", "audio", "video"]));
  });

  it("a voice message in the description reaches the coordinator who takes the case; /deleteme erases it", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    await h.press(maria, "menu:ask");
    await h.press(maria, "form:cat:payments");
    await h.send(h.message(maria, voice("VOICE-D")));
    expect(h.lastText(maria.id)).toContain("Записал");
    await h.press(maria, "form:done");
    await h.press(maria, "form:urgency:normal");
    await h.press(maria, "form:confirm");
    await h.deliver();
    expect(h.lastText(coord.id)).toContain("📎 1 вложение");
    const c = await db.prisma.case.findFirstOrThrow();
    await h.press(coord, `case:take:${c.id}`);
    await h.deliver();
    expect(sent(coord.id).some((x) => x.method === "sendVoice" && x.payload.voice === "VOICE-D")).toBe(true);
    await h.command(maria, "deleteme");
    await h.press(maria, Harness.buttons(h.last(maria.id)).find((b) => /yes|да/i.test(b[1]) || /Удалить/.test(b[0]))![1]);
    expect(await db.prisma.caseMessage.count({ where: { fileId: "VOICE-D" } })).toBe(0);
  });

  it("a voice message with the longest caption fits: the file with the header, the caption in follow-up messages", async () => {
    const { coord, maria } = await takenCase(h, db);
    await h.send(h.message(maria, voice("VOICE-L", "с".repeat(1024))));
    await h.deliver();
    const got = sent(coord.id);
    expect(got.map((x) => x.method)).toEqual(["sendVoice", "sendMessage"]);
    for (const x of got) {
      if (x.payload.caption) expect(visibleLength(x.payload.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
      if (x.payload.text) expect(visibleLength(x.payload.text)).toBeLessThanOrEqual(TEXT_LIMIT);
    }
    expect(h.calls.filter((x) => x.method === "sendMessage" && Number(x.payload.chat_id) === coord.id).map((x) => x.payload.text).join("")).toContain("с".repeat(1000));
  });

  it("a sticker or a location in an open case gets a kind answer saying what can be sent, either side; nothing is stored", async () => {
    const { coord, maria, c } = await takenCase(h, db);
    const before = await db.prisma.caseMessage.count({ where: { caseId: c.id } });
    await h.send(h.message(maria, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } } as never));
    expect(h.lastText(maria.id)).toContain("Можно писать текст, отправлять голосовые, видео, фото и документы");
    await h.send(h.message(maria, { location: { latitude: 52.7, longitude: 41.4 } }));
    expect(h.lastText(maria.id)).toContain("не могу передать координатору");
    await h.command(maria, "nosuchcommand");
    expect(h.lastText(maria.id)).toContain("Такой команды нет");
    await h.send(h.message(coord, { location: { latitude: 52.7, longitude: 41.4 } }));
    expect(h.lastText(coord.id)).toContain("не могу передать координатору");
    await h.command(coord, "nosuchcommand");
    expect(h.lastText(coord.id)).toContain("Такой команды нет");
    expect(await db.prisma.caseMessage.count({ where: { caseId: c.id } })).toBe(before);
  });

  it("the texts say voice messages are welcome, in ru, en and lt", async () => {
    for (const [lang, id, word] of [["ru", 7121, "голосовые"], ["en", 7122, "voice messages"], ["lt", 7123, "balso žinutes"]] as const) {
      const u = await family(h, id, lang);
      await h.press(u, "menu:ask");
      await h.press(u, "form:cat:payments");
      expect(h.lastText(u.id)).toContain(word);
    }
  });
});

describe("5. edited messages", () => {
  const edit = (u: User, messageId: number, text: string, editDate: number, updateId: number) =>
    h.send({ update_id: updateId, edited_message: { message_id: messageId, date: 1, edit_date: editDate, chat: { id: u.id, type: "private", first_name: u.first_name }, from: u, text } } as never);

  it("an edit in an open case reaches the other side as a correction, once per edit, both ways; re-delivered edits are not relayed twice", async () => {
    const { coord, maria, c } = await takenCase(h, db);
    const upd = await h.text(maria, "Выплата не пришла за сентяборь");
    await h.deliver();
    const mid = upd.message!.message_id;
    await edit(maria, mid, "Выплата не пришла за сентябрь", 1000, 880001);
    expect(h.lastText(maria.id)).toContain("Передано координатору");
    await edit(maria, mid, "Выплата не пришла за сентябрь", 1000, 880001); // the same update again
    await edit(maria, mid, "Выплата не пришла за сентябрь", 1000, 880002); // a copy under another id
    await h.deliver();
    const corrections = h.texts(coord.id).filter((t) => t.includes("✏️ исправлено:"));
    expect(corrections).toEqual([`💬 <b>#${c.number}</b> · Заявитель\n✏️ исправлено:\nВыплата не пришла за сентябрь`]);
    expect(await db.prisma.caseMessage.count({ where: { caseId: c.id, kind: "correction" } })).toBe(1);

    const reply = await h.text(coord, "Проверю завтра");
    await edit(coord, reply.message!.message_id, "Проверю сегодня", 2000, 880003);
    await h.deliver();
    expect(h.lastText(maria.id)).toBe(`💬 <b>#${c.number}</b> · Координатор\n✏️ исправлено:\nПроверю сегодня`);
  });

  it("an edit of a message that never went to a case, or in a closed case, is ignored quietly; in English the correction says so", async () => {
    const { coord, maria, c } = await takenCase(h, db);
    const upd = await h.text(maria, "Ещё вопрос");
    await h.press(coord, `case:resolve:${c.id}`);
    await h.deliver();
    await db.prisma.case.update({ where: { id: c.id }, data: { status: "closed" } });
    h.clear();
    await edit(maria, upd.message!.message_id, "Ещё вопрос!", 3000, 880010);
    await edit(maria, 99999, "что-то", 3000, 880011);
    await h.deliver();
    expect(h.calls.filter((x) => x.method.startsWith("send"))).toEqual([]);

    await start();
    const en = await db.prisma.coordinator.findFirstOrThrow();
    const ann = await family(h, 7130, "en");
    await ask(h, ann);
    const c2 = await db.prisma.case.findFirstOrThrow({ where: { requester: { telegramId: BigInt(7130) } } });
    await h.press(h.user(Number(en.telegramId)), `case:take:${c2.id}`);
    const m = await h.text(h.user(Number(en.telegramId)), "See you tomorow");
    await edit(h.user(Number(en.telegramId)), m.message!.message_id, "See you tomorrow", 4000, 880012);
    await h.deliver();
    expect(h.lastText(7130)).toContain("✏️ corrected:\nSee you tomorrow");
  });
});

describe("6. asking before registering", () => {
  it("someone without a profile asks for help: kind, description, urgency, region and an optional call-back number — no date of birth", async () => {
    const coord = await coordinator(h, db, 7001);
    const u = await h.member(7140);
    await h.press(u, "menu:ask");
    expect(h.lastText(u.id)).toContain("С чем нужна помощь?");
    await h.press(u, "form:cat:payments");
    await h.text(u, "Сын пропал, не знаю куда обращаться за выплатой");
    await h.press(u, "form:done");
    await h.press(u, "form:urgency:normal");
    expect(h.lastText(u.id)).toContain("В каком регионе");
    await h.text(u, "тамб");
    await h.press(u, "form:region:RU-TAM");
    expect(h.lastText(u.id)).toContain("перезвонил");
    await h.text(u, "позвоните мне");
    expect(h.lastText(u.id)).toContain("Не похоже на номер телефона");
    await h.text(u, "8 900 111-22-33");
    expect(h.lastText(u.id)).toContain("<b>Регион:</b> Тамбовская область");
    expect(h.lastText(u.id)).toContain("<b>Перезвонить:</b> +79001112233");
    await h.press(u, "form:confirm");
    expect(h.lastText(u.id)).toContain("принято и передано координатору");
    expect(h.lastText(u.id)).toContain("/profile");
    expect(h.texts(u.id).join("\n")).not.toMatch(/дата рождения|родились/i);
    const c = await db.prisma.case.findFirstOrThrow();
    expect(c).toMatchObject({ regionCode: "RU-TAM", callbackPhone: "+79001112233", status: "assigned" });
    expect(await db.prisma.profile.count()).toBe(0);
    await h.deliver();
    expect(h.lastText(coord.id)).toContain("👤 профиль не заполнен");
    expect(h.lastText(coord.id)).toContain("📞 Телефон: +79001112233");
  });

  it("the call-back number can be skipped, Back returns to the region, and in English the questions are English", async () => {
    const u = await h.member(7141, "en");
    await h.press(u, "menu:ask");
    await h.press(u, "form:cat:legal");
    await h.text(u, "I need a lawyer");
    await h.press(u, "form:done");
    await h.press(u, "form:urgency:normal");
    expect(h.lastText(u.id)).toContain("region");
    await h.text(u, "tamb");
    await h.press(u, "form:region:RU-TAM");
    expect(h.lastText(u.id)).toContain("call you back");
    await h.press(u, "form:back");
    expect(h.lastText(u.id)).toContain("region");
    await h.press(u, "form:region:RU-TAM");
    await h.press(u, "form:skip");
    await h.press(u, "form:confirm");
    expect(h.lastText(u.id)).toContain("no coordinator is free right now");
    expect((await db.prisma.case.findFirstOrThrow()).callbackPhone).toBeNull();
  });
});

describe("12. the ping", () => {
  it("carries kind, urgency, region and local time, who, contact time, language, attachments, description cut to 300 and the deadline; buttons with verbs and emoji", async () => {
    const now = new Date("2026-11-23T11:00:00Z"); // 14:00 in Moscow, 21:00 in Vladivostok
    await start({ clock: () => now });
    await addCoordinator(db.prisma, { telegramId: 7001, regions: ["RU-PRI"], categories: ["payments"] });
    const coord = await h.member(7001);
    const anna = await fullFamily(7150);
    await h.press(anna, "menu:ask");
    await h.press(anna, "form:cat:payments");
    await h.text(anna, `Сын пропал без вести. ${"Подробности. ".repeat(60)}`);
    await h.send(h.message(anna, { photo: [{ file_id: "P", file_unique_id: "p", width: 1, height: 1 }] }));
    await h.send(h.message(anna, voice("V")));
    await h.press(anna, "form:done");
    await h.press(anna, "form:urgency:urgent");
    await h.press(anna, "form:confirm");
    await h.deliver();
    const ping = h.last(coord.id)!;
    const text = String(ping.payload.text);
    const number = (await db.prisma.case.findFirstOrThrow()).number;
    expect(text.split("\n").slice(0, 8)).toEqual([
      `🆕 <b>Обращение #${number}</b> · 🔴 <b>СРОЧНО</b>`,
      "📂 Выплаты и льготы",
      "📍 Приморский край · там сейчас 21:00",
      "👤 Петрова Анна · мать · пропал без вести",
      "🕐 Удобно связаться: вечером (17–20)",
      "🌐 Язык: Русский",
      "📎 2 вложения",
      "📞 Телефон: +79001234567",
    ]);
    expect(text).toContain("«Сын пропал без вести. Подробности.");
    expect(text).toContain("…»");
    expect(text).toContain("⏳ Взять до 14:10"); // CASE_ACK_URGENT_SECONDS 600, programme time (Moscow)
    expect(Harness.buttons(ping).map((b) => b[0])).toEqual(["✅ Взять", "↩️ Отказаться", "🤝 Спросить коллегу"]);
  });

  it("fits one message at the longest inputs, and speaks the coordinator's language (en, lt)", async () => {
    await addCoordinator(db.prisma, { telegramId: 7002, regions: ["RU-PRI"], categories: ["payments"] });
    const en = await h.member(7002, "en");
    const longName = `${"Ааааааааа".repeat(10)} ${"Ббббббббб".repeat(10)}`.slice(0, 100);
    const anna = await fullFamily(7151, longName);
    await ask(h, anna, "щ".repeat(4000), "normal");
    await h.deliver();
    const text = h.lastText(en.id);
    expect(text).toContain("🆕 <b>Request #");
    expect(text).toContain("⏳ Take by ");
    expect(text).toContain("🌐 Language: Русский");
    expect(visibleLength(text)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(visibleLength(text)).toBeLessThan(1000);

    await db.prisma.coordinator.updateMany({ data: { active: false } });
    await addCoordinator(db.prisma, { telegramId: 7003, regions: ["RU-PRI"], categories: ["payments"] });
    const lt = await h.member(7003, "lt");
    await ask(h, anna, "Reikia pagalbos", "normal");
    await h.deliver();
    expect(h.lastText(lt.id)).toContain("⏳ Priimti iki ");
    expect(h.lastText(lt.id)).toContain("· neskubu");
  });
});
