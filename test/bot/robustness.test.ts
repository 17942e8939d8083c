// Bad input, re-delivery, errors and groups: the bot answers kindly and keeps working.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Composer } from "grammy";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";
import type { BotContext } from "../../src/bot/context.js";

let db: TestDb;
let h: Harness;


beforeEach(async () => {
  db = await sqliteTestDb();
  h = await harness(db);
});
afterEach(async () => db.dispose());

describe("bad input", () => {
  it("answers a sticker, a photo and a voice message with a hint to use text or the menu", async () => {
    const u = await h.member(601);
    await h.send(h.message(u, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }));
    await h.send(h.message(u, { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }));
    await h.send(h.message(u, { voice: { file_id: "v", file_unique_id: "v", duration: 3 } }));
    expect(h.texts(u.id)).toEqual(Array(3).fill("Сейчас я понимаю только текст и кнопки. Откройте меню: /menu."));
  });

  it("ignores an edited message outside a case quietly (a typo fixed needs no error)", async () => {
    const u = await h.member(602);
    await h.send({ update_id: 990001, edited_message: { message_id: 5, date: 1, edit_date: 2, chat: { id: u.id, type: "private", first_name: "x" }, from: u, text: "исправлено" } });
    expect(h.calls.filter((c) => c.method.startsWith("send"))).toEqual([]);
  });

  it("refuses a 5,000-character message with the limit, in Russian plural form", async () => {
    const u = await h.member(603);
    await h.text(u, "а".repeat(5000));
    expect(h.lastText(u.id)).toBe("Сообщение слишком длинное. Пожалуйста, уложитесь в 4096 символов или разделите текст на части.");
    await h.command(u, "help");
    expect(h.lastText(u.id)).toContain("/language");
  });

  it("answers an unknown command and unexpected text", async () => {
    const u = await h.member(604, "en");
    await h.command(u, "bogus");
    expect(h.lastText(u.id)).toBe("There is no such command. See /help for the list.");
    await h.text(u, "hello?");
    expect(h.lastText(u.id)).toContain("/menu");
  });

  it("answers a button from an old message or with forged data at once, and removes dead buttons", async () => {
    const u = await h.member(605);
    for (const data of ["lang:xx", "menu:../../etc", "consent:maybe", "x".repeat(64), ""]) {
      h.clear();
      await h.press(u, data, 77);
      expect(h.answers()).toHaveLength(1);
      expect(h.answers()[0]!.payload).toMatchObject({ text: "Эта кнопка больше не действует. Отправьте /menu, чтобы открыть меню.", show_alert: true });
      expect(h.calls.find((c) => c.method === "editMessageReplyMarkup")?.payload.message_id).toBe(77);
    }
    expect(await db.prisma.person.count()).toBe(1);
  });

  it("in a group, stays silent on chatter and points commands to the private chat", async () => {
    const u = h.user(606);
    const group = { id: -100123, type: "supergroup" as const, title: "Parents" };
    await h.send({ update_id: 990010, message: { message_id: 1, date: 1, chat: group, from: u, text: "всем привет" } });
    expect(h.calls).toHaveLength(0);
    await h.send({ update_id: 990011, message: { message_id: 2, date: 1, chat: group, from: u, text: "/start@support_test_bot", entities: [{ type: "bot_command", offset: 0, length: 23 }] } });
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.payload).toMatchObject({ chat_id: -100123, text: "Я работаю только в личных сообщениях: https://t.me/support_test_bot" });
    await h.send({ update_id: 990012, message: { message_id: 3, date: 1, chat: group, from: u, text: "/start@other_bot" } });
    expect(h.calls).toHaveLength(1);
    expect(await db.prisma.person.count()).toBe(0);
  });
});

describe("exactly once", () => {
  it("handles a re-delivered update once", async () => {
    const u = h.user(610);
    const start = h.message(u, { text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] });
    await h.send(start);
    const after = h.calls.length;
    await h.send(structuredClone(start));
    expect(h.calls.length).toBe(after);
    expect(await db.prisma.inboxUpdate.count({ where: { updateId: BigInt(start.update_id), handledAt: { not: null }, payload: null } })).toBe(1);
  });

  it("handles two copies arriving at the same moment once", async () => {
    const u = await h.member(611);
    const upd = h.message(u, { text: "/help", entities: [{ type: "bot_command", offset: 0, length: 5 }] });
    await Promise.all([h.send(upd), h.send(structuredClone(upd)), h.send(structuredClone(upd))]);
    expect(h.texts(u.id)).toHaveLength(1);
  });

  it("keeps each chat's updates in order when they are handled concurrently", async () => {
    const u = await h.member(612);
    await Promise.all([h.command(u, "help"), h.command(u, "bogus"), h.text(u, "hello")]);
    const t = h.texts(u.id);
    expect(t[0]).toContain("/language");
    expect(t[1]).toContain("Такой команды нет");
    expect(t[2]).toContain("/menu");
  });
});

describe("error boundary", () => {
  it("apologises in the person's language when a handler fails, and keeps serving", async () => {
    const boom = new Composer<BotContext>();
    boom.command("boom", () => {
      throw new Error("database is on fire");
    });
    h = await harness(db, { features: [{ name: "boom", composer: boom }] });
    const u = await h.member(620, "lt");
    await h.command(u, "boom");
    expect(h.lastText(u.id)).toContain("Atsiprašome");
    await h.command(u, "help");
    expect(h.lastText(u.id)).toContain("/language");
  });

  it("retries a send that Telegram answers with 429, after the time it asks", async () => {
    let failures = 1;
    h = await harness(db, {
      intercept: (c) => (c.method === "sendMessage" && failures-- > 0 ? { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } : undefined),
    });
    const u = h.user(621);
    const t0 = Date.now();
    await h.command(u, "start");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(h.calls.filter((c) => c.method === "sendMessage" && c.payload.text.includes("Здравствуйте"))).toHaveLength(2);
  });
});

describe("Telegram failures and the command menu", () => {
  it("retries a send that fails with a 500 and delivers it once", async () => {
    let failures = 2;
    h = await harness(db, { intercept: (c) => (c.method === "sendMessage" && failures-- > 0 ? { ok: false, error_code: 500, description: "Internal Server Error" } : undefined) });
    const u = h.user(622);
    await h.command(u, "help");
    const helpSends = h.calls.filter((c) => c.method === "sendMessage" && String(c.payload.text).includes("/language"));
    expect(helpSends).toHaveLength(3); // two failed attempts, one accepted
    expect(failures).toBe(-1);
  });

  it("sets the command menu in every language, and carries on when the API refuses it", async () => {
    const { registerCommands } = await import("../../src/bot/commands.js");
    const { allFeatures, commandsOf, MEMBER_FEATURES } = await import("../../src/bot/create-bot.js");
    await registerCommands(h.bot.api, h.deps.i18n, commandsOf(allFeatures(MEMBER_FEATURES)), "ru", h.deps.logger);
    const sets = h.calls.filter((c) => c.method === "setMyCommands");
    expect(sets.map((c) => c.payload.language_code)).toEqual(["ru", "en", "lt", undefined]);
    expect(sets[1]!.payload.commands).toContainEqual({ command: "cancel", description: "Cancel the current action" });
    expect(sets[0]!.payload.commands.map((c: { command: string }) => c.command)).toEqual(["start", "menu", "language", "help", "privacy", "profile", "mydata", "deleteme", "ask", "queue", "case", "duty", "mycases", "events", "myevents", "faq", "cancel"]);
    h = await harness(db, { intercept: (c) => (c.method === "setMyCommands" ? { ok: false, error_code: 404, description: "Not Found: method not found" } : undefined) });
    await expect(registerCommands(h.bot.api, h.deps.i18n, ["start"], "ru", h.deps.logger)).resolves.toBeUndefined();
  });
});

describe("language and privacy after consent", () => {
  it("changes the language with /language and answers in it from then on", async () => {
    const u = await h.member(630);
    await h.command(u, "language");
    await h.press(u, "lang:lt");
    expect(h.lastText(u.id)).toContain("Pagrindinis meniu");
    expect((await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 630n } })).locale).toBe("lt");
    await h.command(u, "help");
    expect(h.lastText(u.id)).toContain("Komandos");
  });

  it("withdraws consent after confirmation and then stops serving until consent is given again", async () => {
    const u = await h.member(631, "en");
    await h.command(u, "privacy");
    expect(h.lastText(u.id)).toContain("You consented");
    await h.press(u, "privacy:withdraw");
    expect(h.lastText(u.id)).toContain("Withdraw your consent?");
    await h.press(u, "privacy:withdraw:yes");
    expect(h.lastText(u.id)).toContain("Consent withdrawn");
    const rows = await db.prisma.consent.findMany();
    expect(rows[0]!.withdrawnAt).not.toBeNull();
    h.clear();
    await h.command(u, "menu");
    expect(h.texts(u.id).join()).not.toContain("Main menu");
    expect(h.lastText(u.id)).toContain("Do you agree");
    const audit = await db.prisma.auditEvent.findMany({ select: { action: true, detail: true } });
    expect(audit.map((a) => a.action)).toContain("consent.withdrawn");
    expect(JSON.stringify(audit)).not.toMatch(/Person631|Testova/);
  });
});
