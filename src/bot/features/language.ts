// Choosing the language: at first contact and any time later with /language or the menu.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { CB } from "../ui/callbacks.js";
import { ack, clearButtons, menuScreen, showMenu } from "../ui/menu.js";
import { setLocale as useLocale } from "../middleware/locale.js";
import type { Locale } from "../../i18n.js";
import { setLocale } from "../../services/people/people.js";
import { askLanguage, continueOnboarding, hasConsent } from "../ui/first-contact.js";

function language(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "language", askLanguage);
  c.callbackQuery(CB.language, async (ctx) => {
    const locale = ctx.match[1] as Locale;
    const first = !ctx.person?.locale;
    await setLocale(ctx.deps.prisma, ctx.deps.clock, ctx.from.id, locale);
    useLocale(ctx, locale);
    ctx.person = ctx.person ? { ...ctx.person, locale } : { id: 0, telegramId: ctx.from.id, locale, refusedAt: null, consent: null, role: null };
    await ack(ctx);
    await clearButtons(ctx, ctx.t("language.chosen", { language: ctx.t(`language.names.${locale}`) }));
    if (!first && hasConsent(ctx)) return showMenu(ctx);
    await continueOnboarding(ctx);
  });
  return c;
}

export const languageFeature: Feature = { name: "language", composer: language(), commands: ["language"] };
