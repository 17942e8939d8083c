// /help: what the bot does and which commands exist. Available before consent too.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { ack, MAIN_MENU, menuScreen, showMenu, withMenuButton } from "../ui/menu.js";
import { continueOnboarding, hasConsent } from "../ui/first-contact.js";
import { menuData } from "../ui/callbacks.js";
import { programmeName } from "../ui/programme.js";
import { countriesOf, crisisMessage } from "../ui/crisis.js";

/** The commands, then where a person can turn (112, crisis lines, the programme's own contacts). */
async function sendHelp(ctx: BotContext): Promise<void> {
  const contacts = crisisMessage(ctx.t, ctx.deps.config, ctx.locale, await countriesOf(ctx));
  const next = hasConsent(ctx) ? withMenuButton(ctx) : undefined;
  await ctx.reply(`${ctx.t("help.text", { programme: programmeName(ctx.deps.config, ctx.locale) })}\n\n${ctx.t("crisis.help_title")}\n${contacts}`, { reply_markup: next });
}

function help(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "help", sendHelp);
  c.command("menu", async (ctx, next) => (hasConsent(ctx) ? showMenu(ctx) : next()));
  // "Back to the menu" under screens that end a flow; before consent it leads to the missing step.
  c.callbackQuery(menuData(MAIN_MENU), async (ctx) => {
    await ack(ctx);
    await (hasConsent(ctx) ? showMenu(ctx) : continueOnboarding(ctx, false));
  });
  return c;
}

export const helpFeature: Feature = { name: "help", composer: help(), commands: ["menu", "help"] };
