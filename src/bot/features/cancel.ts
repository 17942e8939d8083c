// /cancel (or a Cancel button) leaves whatever flow the person is in, from anywhere. It runs before
// the conversations, so even a conversation that is stuck waiting gives way.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { ack, showMenu } from "../ui/menu.js";
import { CANCEL_DATA } from "../ui/callbacks.js";
import { hasConsent } from "../ui/first-contact.js";
import { clearHeld } from "../../services/cases/held.js";


async function cancelFlows(ctx: BotContext): Promise<void> {
  const held = ctx.chat ? await clearHeld(ctx.deps.prisma, ctx.chat.id) : 0; // messages waiting for "which case?" are dropped too
  const drafting = ctx.session.broadcast ? 1 : 0; // an administrator's /broadcast waiting for its message
  ctx.session.broadcast = undefined;
  const active = Object.values(ctx.conversation.active()).reduce((a, b) => a + b, 0) + held + drafting;
  await ctx.conversation.exitAll();
  const text = ctx.t(active > 0 ? "cancel.done" : "cancel.nothing");
  if (hasConsent(ctx)) await showMenu(ctx, text);
  else await ctx.reply(text);
}

function cancel(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("cancel", cancelFlows);
  c.callbackQuery(CANCEL_DATA, async (ctx) => {
    await ack(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await cancelFlows(ctx);
  });
  return c;
}

export const cancelFeature: Feature = { name: "cancel", composer: cancel(), commands: ["cancel"] };
