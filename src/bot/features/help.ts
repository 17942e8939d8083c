// /help: what the bot does and which commands exist. Available before consent too.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { menuScreen, showMenu } from "../ui/menu.js";
import { hasConsent } from "../ui/first-contact.js";
import { countriesOf, crisisMessage } from "../ui/crisis.js";

/** The commands, then where a person can turn (112, crisis lines, the programme's own contacts). */
async function sendHelp(ctx: BotContext): Promise<void> {
  const contacts = crisisMessage(ctx.t, ctx.deps.config, ctx.locale, await countriesOf(ctx));
  await ctx.reply(`${ctx.t("help.text", { programme: ctx.deps.config.PROGRAMME_NAME })}\n\n${ctx.t("crisis.help_title")}\n${contacts}`);
}

function help(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "help", sendHelp);
  c.command("menu", async (ctx, next) => (hasConsent(ctx) ? showMenu(ctx) : next()));
  return c;
}

export const helpFeature: Feature = { name: "help", composer: help(), commands: ["menu", "help"] };
