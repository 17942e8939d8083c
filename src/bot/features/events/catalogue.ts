// /events and the menu's "Trainings and events": upcoming published events the person may join
// (their role, region and age), soonest first, five a page; each opens its card.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack, menuScreen } from "../../ui/menu.js";
import { dbInt } from "../../ui/callbacks.js";
import { catalogue } from "../../../services/events/catalogue.js";
import { cut } from "../../../services/text.js";
import { showEventCard } from "./card.js";
import { localised, when } from "./view.js";

const PAGE = 5;

async function showPage(ctx: BotContext, page: number): Promise<void> {
  const p = await catalogue(ctx.deps.prisma, ctx.deps.clock, ctx.person!.id, page, PAGE);
  if (!p.items.length) return void (await ctx.reply(ctx.t(page ? "events.no_more" : "events.none")));
  const kb = new InlineKeyboard();
  for (const e of p.items) kb.text(cut(`${localised(e.title, ctx.locale)} · ${when(e, ctx.locale)}`, 60), `ev:open:${e.id}`).row();
  if (page > 0) kb.text(ctx.t("events.prev"), `ev:page:${page - 1}`);
  if (p.hasMore) kb.text(ctx.t("events.next"), `ev:page:${page + 1}`);
  await ctx.reply(ctx.t("events.catalogue"), { reply_markup: kb });
}

function events(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "events", (ctx) => showPage(ctx, 0));
  c.callbackQuery(/^ev:page:(\d+)$/, async (ctx) => {
    await ack(ctx);
    await showPage(ctx, Math.min(Number(ctx.match[1]), 10_000));
  });
  c.callbackQuery(/^ev:open:(\d+)$/, async (ctx) => {
    await ack(ctx);
    const id = dbInt(ctx.match[1]);
    await showEventCard(ctx, id ? { id } : null);
  });
  return c;
}

export const eventsFeature: Feature = { name: "events", composer: events(), commands: ["events"] };
