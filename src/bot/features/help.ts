// /help: what the bot does and which commands exist. Available before consent too.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { menuScreen, showMenu } from "../ui/menu.js";
import { hasConsent } from "../ui/first-contact.js";

async function sendHelp(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t("help.text", { programme: ctx.deps.config.PROGRAMME_NAME }));
}

function help(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "help", sendHelp);
  c.command("menu", async (ctx, next) => (hasConsent(ctx) ? showMenu(ctx) : next()));
  return c;
}

export const helpFeature: Feature = { name: "help", composer: help(), commands: ["menu", "help"] };
