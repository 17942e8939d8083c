// Which case a free message belongs to, for a person with several open ones (a requester with two
// requests, a coordinator with several cases in progress). A reply to a relayed message names its
// case; otherwise the case they chose last, or the only one. When it is still unclear, the
// message is held (services/cases/held.ts: nothing is lost, nothing to type again) and they are
// asked to choose; the choice sends what was held and stays chosen for what follows.
import { InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Incoming } from "../../../services/cases/messages.js";
import { caseOfRelayedMessage } from "../../../services/cases/messages.js";
import { caseNumber } from "../../../services/cases/lifecycle.js";
import { holdMessage, releaseHeld as releaseStored } from "../../../services/cases/held.js";

export interface CaseChoice {
  id: number;
  label: string;
}

/** The case a message is for, or null when the person must choose among `open`. Access is the services' to check. */
export async function caseForMessage(ctx: BotContext, open: readonly CaseChoice[], chosen: number | undefined): Promise<number | null> {
  const replyTo = ctx.msg?.reply_to_message?.message_id;
  const replied = replyTo ? await caseOfRelayedMessage(ctx.deps.prisma, ctx.chat!.id, replyTo) : null;
  if (replied) return replied; // even if no longer open: the service then says so

  if (chosen && open.some((c) => c.id === chosen)) return chosen;
  return open.length === 1 ? open[0]!.id : null;
}

/** Keeps the message and asks which case it is for; buttons carry `${prefix}:<case id>`. */
export async function holdAndAsk(ctx: BotContext, message: Incoming, open: readonly CaseChoice[], prefix: string, questionKey: string): Promise<void> {
  await holdMessage(ctx.deps.prisma, ctx.deps.clock(), message);
  const kb = new InlineKeyboard();
  for (const c of open) kb.text(c.label, `${prefix}:${c.id}`).row();
  await ctx.reply(ctx.t(questionKey), { reply_markup: kb });
}

/** The held messages of this chat, handed over once. */
export function releaseHeld(ctx: BotContext): Promise<Incoming[]> {
  return releaseStored(ctx.deps.prisma, ctx.chat!.id);
}

/**
 * Puts the messages into the case in order (`add` is the writer's side: requester or coordinator)
 * and answers the last of them with what became of them, from `${keyPrefix}_<result>`.
 */
export async function deliverToCase(ctx: BotContext, caseId: number, messages: readonly Incoming[], keyPrefix: string, add: (m: Incoming) => Promise<string>): Promise<void> {
  let result = "";
  for (const m of messages) result = await add(m);
  await ctx.reply(ctx.t(`${keyPrefix}_${result}`, { number: caseNumber(caseId) }), {
    reply_parameters: { message_id: messages.at(-1)!.messageId, allow_sending_without_reply: true },
  });
}
