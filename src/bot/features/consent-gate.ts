// Everything after this point needs consent. Without it the person is led back to the step they
// are missing (language, then consent) instead of being ignored.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { ack } from "../ui/menu.js";
import { continueOnboarding, hasConsent } from "../ui/first-contact.js";

function consentGate(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.use(async (ctx, next) => {
    if (hasConsent(ctx)) return next();
    if (ctx.callbackQuery) await ack(ctx, ctx.t("start.consent_required"), true);
    else if (ctx.person?.locale) await ctx.reply(ctx.t("start.consent_required"));
    else await ctx.reply(ctx.t("start.greeting"));
    await continueOnboarding(ctx, false);
  });
  return c;
}

export const consentGateFeature: Feature = { name: "consent-gate", composer: consentGate() };
