// What nothing else handled: a kind answer that says what to do instead, never silence.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { ack } from "../ui/menu.js";

function fallback(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  // A button from an old message, or forged data: say so, and take the dead buttons away.
  c.on("callback_query", async (ctx) => {
    await ack(ctx, ctx.t("errors.stale_button"), true);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
  });
  // An edit outside a case (features/cases/edits.ts relays those) is a typo fixed: nothing to say.
  c.on("edited_message", () => undefined);
  c.on("message:text", async (ctx) => {
    if (ctx.message.text.startsWith("/")) await ctx.reply(ctx.t("errors.unknown_command"));
    else await ctx.reply(ctx.t("errors.text_not_expected"));
  });
  c.on("message", (ctx) => ctx.reply(ctx.t("errors.not_text")));
  return c;
}

export const fallbackFeature: Feature = { name: "fallback", composer: fallback() };
