// The bot's cheaper Composer.filter (src/bot/middleware/filters.ts) must mean what grammY's does:
// the matching handler answers, the others pass the update on, async predicates and handlers added
// later work, and an error in a predicate reaches the error handler.
import { describe, expect, it } from "vitest";
import { Bot, Composer, type Context } from "grammy";
import type { Update } from "grammy/types";
import { grammyFilter } from "../../src/bot/middleware/filters.js";
import { BOT_INFO, TOKEN } from "../helpers/harness.js";

const text = (t: string, id = 1): Update => ({
  update_id: id,
  message: { message_id: id, date: 0, chat: { id: 5, type: "private", first_name: "A" }, from: { id: 5, is_bot: false, first_name: "A" }, text: t, ...(t.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0]!.length }] } : {}) },
});
const press = (data: string): Update => ({ update_id: 9, callback_query: { id: "q", from: { id: 5, is_bot: false, first_name: "A" }, chat_instance: "c", data } });

function botWith(build: (c: Composer<Context>, seen: string[]) => void) {
  const bot = new Bot(TOKEN, { botInfo: BOT_INFO });
  const seen: string[] = [];
  const c = new Composer<Context>();
  build(c, seen);
  bot.use(c);
  bot.use(() => void seen.push("fallback"));
  return { bot, seen };
}

describe("Composer.filter as the bot uses it", () => {
  it("is not grammY's own, which stays available", () => {
    expect(Composer.prototype.filter).not.toBe(grammyFilter);
    expect(typeof grammyFilter).toBe("function");
  });

  it("runs the matching handler only, and passes everything else on in order", async () => {
    const { bot, seen } = botWith((c, seen) => {
      c.command("help", () => void seen.push("help"));
      c.callbackQuery(/^menu:(\w+)$/, (ctx) => void seen.push(`menu ${ctx.match[1]}`));
      c.on("message:text", async (ctx, next) => (ctx.message.text === "pass" ? next() : void seen.push("text")));
    });
    for (const u of [text("/help"), press("menu:faq"), text("hello"), text("pass"), press("other")]) await bot.handleUpdate(u);
    expect(seen).toEqual(["help", "menu faq", "text", "fallback", "fallback"]);
  });

  it("waits for an async predicate, and runs what is added to the returned composer later", async () => {
    const { bot, seen } = botWith((c, seen) => {
      const only = c.filter(async (ctx) => (await Promise.resolve(ctx.message?.text)) === "yes");
      only.use(async (_ctx, next) => (seen.push("first"), next()));
      only.use(() => void seen.push("second"));
      c.drop((ctx) => ctx.message?.text === "skip", () => void seen.push("not dropped"));
    });
    await bot.handleUpdate(text("yes"));
    await bot.handleUpdate(text("skip"));
    await bot.handleUpdate(text("other"));
    expect(seen).toEqual(["first", "second", "fallback", "not dropped"]);
  });

  it("hands an error thrown by a predicate to the error handler", async () => {
    const bot = new Bot(TOKEN, { botInfo: BOT_INFO });
    bot.filter(() => {
      throw new Error("broken predicate");
    }, () => undefined);
    await expect(bot.handleUpdate(text("x"))).rejects.toThrow("broken predicate");
  });
});
