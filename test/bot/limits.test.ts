// Telegram refuses a text over 4096 characters or a caption over 1024, and what it refuses is lost.
// The fake Telegram here refuses exactly as Telegram does, so each test drives the longest input a
// person can send and checks that everything arrives and every action stays reachable.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness, type HarnessOptions } from "../helpers/harness.js";
import { ask, coordinator, family, takenCase } from "../helpers/people.js";
import { splitText, visibleLength } from "../../src/services/text.js";
import { splitHtml } from "../../src/bot/ui/fit.js";
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context.js";

/** What Telegram apps send when a long paste is split: exactly 4096 characters, here in words. */
const paste = (seed: string, n = 4096) => {
  const words = Array.from({ length: 2000 }, (_, i) => `${seed}${i}`).join(" ");
  return words.slice(0, n - 1) + ".";
};

describe("splitting texts", () => {
  it("pieces fit, keep every character and prefer breaks between words, lines and paragraphs", () => {
    const text = `${"абв ".repeat(1500)}\n\n${"где. ".repeat(900)}`;
    const parts = splitText(text, 3800);
    expect(parts.every((p) => p.length <= 3800)).toBe(true);
    expect(parts.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
    expect(parts[0]!.endsWith("абв")).toBe(true);
    expect(splitText("😀".repeat(3000), 3801).every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true); // no half emoji
    const html = `<b>Заголовок</b>\n${"слово &amp; ".repeat(1000)}`;
    const pieces = splitHtml(html, 4096);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => visibleLength(p) <= 4096 && !/&[a-z]*$/.test(p))).toBe(true);
  });
});

describe("messages at Telegram's limits", () => {
  let db: TestDb;
  let h: Harness;
  const start = async (opts?: HarnessOptions) => {
    h = await harness(db, opts);
  };
  beforeEach(async () => {
    db = await sqliteTestDb();
    await start();
  });
  afterEach(async () => db.dispose());

  const taken = (coordId?: number) => takenCase(h, db, coordId);

  it("a 4096-character message is relayed whole, in two marked parts, both ways", async () => {
    const { coord, maria, c } = await taken();
    const long = paste("м");
    await h.text(maria, long);
    await h.text(coord, paste("к"));
    await h.deliver();
    const toCoord = h.texts(coord.id).filter((t) => t.startsWith("💬"));
    expect(toCoord.map((t) => t.split("\n")[0])).toEqual([`💬 <b>#${c.number}</b> · Заявитель (1/2)`, `💬 <b>#${c.number}</b> · Заявитель (2/2)`]);
    expect(toCoord.map((t) => t.split("\n").slice(1).join("\n")).join(" ")).toBe(long);
    expect(h.texts(maria.id).filter((t) => t.startsWith("💬"))).toHaveLength(2);
    expect(await db.prisma.outbox.count({ where: { sentAt: null } })).toBe(0);
    // A reply to the second part still finds the request.
    const second = h.sentTo(coord.id).filter((x) => String(x.payload.text).includes("(2/2)"))[0]!;
    expect(await db.prisma.outbox.findFirst({ where: { sentMessageId: h.lastMessageIdOf(second) } })).toMatchObject({ caseId: c.id });
  });

  it("a message Telegram refuses (400) is not retried for ever and its writer is told", async () => {
    const { coord, maria, c } = await taken();
    await start({ intercept: (x) => (x.method === "sendDocument" ? { ok: false, error_code: 400, description: "Bad Request: wrong file identifier" } : undefined) });
    await h.send(h.message(maria, { document: { file_id: "bad-file", file_unique_id: "u" }, caption: "справка" }));
    expect(h.lastText(maria.id)).toContain("✓ Передано");
    await h.deliver();
    await h.deliver();
    expect(h.calls.filter((x) => x.method === "sendDocument")).toHaveLength(1);
    expect(h.lastText(maria.id)).toBe(`Сообщение по обращению #${c.number} не доставлено: Telegram его не принял («справка»). Пожалуйста, отправьте его ещё раз иначе — короче, другим файлом или текстом.`);
    void coord;
  });

  it("captions are kept on intake, relayed with the file both ways, and shown on the card", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    await h.press(maria, "menu:ask");
    await h.press(maria, "form:cat:payments");
    await h.send(h.message(maria, { photo: [{ file_id: "ph-1", file_unique_id: "u1", width: 1, height: 1 }], caption: "справка из СФР" }));
    await h.press(maria, "form:done");
    await h.press(maria, "form:urgency:normal");
    await h.press(maria, "form:confirm");
    await h.deliver();
    const c = await db.prisma.case.findFirstOrThrow();
    await h.press(coord, `case:take:${c.id}`);
    await h.send(h.message(coord, { document: { file_id: "doc-1", file_unique_id: "u2" }, caption: "образец заявления" }));
    await h.deliver();
    expect(h.sentTo(coord.id, "sendPhoto").map((x) => [x.payload.photo, x.payload.caption])).toEqual([["ph-1", `💬 <b>#${c.number}</b> · Заявитель\nсправка из СФР`]]);
    expect(h.sentTo(maria.id, "sendDocument").map((x) => [x.payload.document, x.payload.caption])).toEqual([["doc-1", `💬 <b>#${c.number}</b> · Координатор\nобразец заявления`]]);
    h.clear();
    await h.command(coord, "case", c.number);
    expect(h.lastText(coord.id)).toContain("Заявитель: [фото] справка из СФР");
    expect(h.lastText(coord.id)).toContain("Координатор: [документ] образец заявления");
  });

  it("a photo with a caption too long for one caption arrives with the caption in a message after it", async () => {
    const { coord, maria, c } = await taken();
    const caption = paste("п", 1024);
    await h.send(h.message(maria, { photo: [{ file_id: "ph-2", file_unique_id: "u", width: 1, height: 1 }], caption }));
    await h.deliver();
    const toCoord = h.calls.filter((x) => Number(x.payload.chat_id) === coord.id);
    expect(toCoord.map((x) => x.method)).toEqual(["sendPhoto", "sendMessage"]);
    expect(toCoord[0]!.payload.caption).toBe(`💬 <b>#${c.number}</b> · Заявитель (1/2)`);
    expect(String(toCoord[1]!.payload.text)).toBe(`💬 <b>#${c.number}</b> · Заявитель (2/2)\n${caption}`);
  });

  it("what the requester adds before the case is taken reaches the coordinator who takes it, texts too", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    await ask(h, maria, paste("о", 4000)); // the ping shows the start; the rest comes on taking
    await h.text(maria, "забыла сказать: срочно до пятницы");
    expect(h.lastText(maria.id)).toContain("Координатор увидит это, когда возьмёт обращение");
    await h.deliver();
    const ping = h.texts(coord.id).find((t) => t.startsWith("🆕"))!;
    expect(visibleLength(ping)).toBeLessThan(1400);
    const c = await db.prisma.case.findFirstOrThrow();
    h.clear();
    await h.press(coord, `case:take:${c.id}`);
    await h.deliver();
    const got = h.texts(coord.id).filter((t) => t.startsWith("💬"));
    expect(got.at(-1)).toBe(`💬 <b>#${c.number}</b> · Заявитель\nзабыла сказать: срочно до пятницы`);
    expect(got.slice(0, -1).map((t) => t.split("\n").slice(1).join("\n")).join(" ")).toBe(paste("о", 4000));
  });

  it("/case of a long conversation fits one message and always shows its actions", async () => {
    const { coord, maria, c } = await taken();
    for (let i = 0; i < 10; i++) {
      await h.text(coord, paste(`к${i}-`, 970));
      await h.text(maria, paste(`м${i}-`, 4000));
    }
    h.clear();
    await h.command(coord, "case", c.number);
    const card = h.last(coord.id)!;
    expect(visibleLength(String(card.payload.text))).toBeLessThanOrEqual(4096);
    expect(String(card.payload.text)).toContain("раньше");
    expect(Harness.buttons(card).map((b) => b[1])).toEqual([`case:reply:${c.id}`, `case:wait:${c.id}`, `case:resolve:${c.id}`]);
    expect(h.calls.filter((x) => x.method === "sendMessage" && String(x.payload.text).includes("пошло не так"))).toEqual([]);
    await h.press(coord, `case:resolve:${c.id}`);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("resolved");
  });

  it("a 4000-character description survives a word typed on the confirmation step", async () => {
    const coord = await coordinator(h, db, 7001);
    const maria = await family(h, 7101);
    await h.press(maria, "menu:ask");
    await h.press(maria, "form:cat:payments");
    await h.text(maria, paste("д", 4000));
    await h.press(maria, "form:done");
    await h.press(maria, "form:urgency:normal");
    await h.text(maria, "да");
    const retry = h.last(maria.id)!;
    expect(visibleLength(String(retry.payload.text))).toBeLessThanOrEqual(4096);
    expect(String(retry.payload.text)).toContain("Проверьте обращение");
    await h.press(maria, "form:confirm");
    expect(await db.prisma.case.findFirstOrThrow()).toMatchObject({ description: paste("д", 4000) });
    void coord;
  });

  it("a text over the limit goes in pieces, the buttons on the last; a 429 on a later piece does not resend the first", async () => {
    const long = new Composer<BotContext>();
    long.command("long", (ctx) => ctx.reply(`${"первая часть. ".repeat(250)}\n${"вторая часть. ".repeat(250)}`, { reply_markup: { inline_keyboard: [[{ text: "ok", callback_data: "menu:help" }]] } }));
    let refused = false;
    await start({
      features: [{ name: "long", composer: long }],
      intercept: (x) => (!refused && x.method === "sendMessage" && String(x.payload.text).startsWith("вторая") ? ((refused = true), { ok: false, error_code: 429, description: "Too Many Requests: retry after 0", parameters: { retry_after: 0 } }) : undefined),
    });
    const u = await h.member(7601);
    await h.command(u, "long");
    const sent = h.sentTo(u.id).map((c) => String(c.payload.text));
    expect(sent.filter((t) => t.startsWith("первая"))).toHaveLength(1);
    expect(sent.filter((t) => t.startsWith("вторая"))).toHaveLength(2); // refused once, then sent
    expect(sent.every((t) => visibleLength(t) <= 4096)).toBe(true);
    expect(Harness.buttons(h.last(u.id))).toEqual([["ok", "menu:help"]]);
  });
});
