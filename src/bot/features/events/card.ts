// One event's card with what the person can do (sign up, or where they stand). Shared by the
// catalogue, deep links (t.me/<bot>?start=ev_<code>) and /myevents; a module without a composer.
import { InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import { eventCard } from "./view.js";

export const EVENT_LINK_PREFIX = "ev_";

export async function showEventCard(ctx: BotContext, event: { id: number } | null): Promise<void> {
  const e = event && (await ctx.deps.prisma.event.findFirst({ where: { id: event.id, status: "published" } }));
  if (!e) return void (await ctx.reply(ctx.t("events.gone")));
  const mine = ctx.person ? await ctx.deps.prisma.enrolment.findUnique({ where: { eventId_personId: { eventId: e.id, personId: ctx.person.id } }, select: { status: true } }) : null;
  const active = mine && ["confirmed", "waiting", "offered", "pending_approval"].includes(mine.status);
  const kb = new InlineKeyboard();
  if (!active) kb.text(ctx.t("events.join_button"), `ev:join:${e.id}`).row();
  kb.text(ctx.t("events.list_button"), "ev:page:0");
  const status = active ? `\n\n${ctx.t(`events.status.${mine!.status}`)}` : "";
  await ctx.reply(eventCard(ctx.t, ctx.locale, e, { confirmed: mine?.status === "confirmed" }) + status, { reply_markup: kb });
}

/** The event of a deep link, by its code. */
export async function showEventByCode(ctx: BotContext, code: string): Promise<void> {
  const e = await ctx.deps.prisma.event.findFirst({ where: { code, status: "published" }, select: { id: true } });
  await showEventCard(ctx, e);
}
