// /myevents: the person's sign-ups with their status and place in line; leaving an event or the
// waiting list; answering a seat offered from the waiting list (Accept / Decline). Ids come back
// in buttons: every action checks the enrolment is this person's (the services do).
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack, clearButtons, menuScreen } from "../../ui/menu.js";
import { dbInt } from "../../ui/callbacks.js";
import { pressKey } from "../cases/incoming.js";
import { myEnrolments } from "../../../services/events/catalogue.js";
import { cancelEnrolment } from "../../../services/events/enrolment.js";
import { acceptOffer, declineOffer, waitingPosition } from "../../../services/events/waiting-list.js";
import { eventSettings } from "./settings.js";
import { escapeHtml } from "../../../i18n.js";
import { cut } from "../../../services/text.js";
import { localised, when } from "./view.js";

async function listMine(ctx: BotContext): Promise<void> {
  const mine = await myEnrolments(ctx.deps.prisma, ctx.deps.clock, ctx.person!.id);
  if (!mine.length) return void (await ctx.reply(ctx.t("events.mine_none"), { reply_markup: new InlineKeyboard().text(ctx.t("events.list_button"), "ev:page:0") }));
  const lines: string[] = [ctx.t("events.mine")];
  const kb = new InlineKeyboard();
  for (const e of mine) {
    const title = cut(localised(e.event.title, ctx.locale), 80);
    const position = e.status === "waiting" ? await waitingPosition(ctx.deps.prisma, e.id) : null;
    lines.push(`• <b>${escapeHtml(title)}</b> · ${when(e.event, ctx.locale)} — ${ctx.t(`events.status.${e.status}`, { position })}`);
    if (e.status === "confirmed") kb.text(ctx.t("events.qr_button", { title: cut(title, 30) }), `ev:qr:${e.id}`).row();
    if (e.status === "offered") kb.text(ctx.t("events.accept"), `ev:acc:${e.id}`).text(ctx.t("events.decline"), `ev:dec:${e.id}`).row();
    kb.text(ctx.t(e.status === "waiting" ? "events.leave_list" : "events.cancel", { title: cut(title, 30) }), `ev:cancel:${e.id}`).row();
  }
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
}

function mine(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "myevents", listMine);
  c.callbackQuery(/^ev:cancel:(\d+)$/, async (ctx) => {
    const id = dbInt(ctx.match[1]);
    const e = id ? await ctx.deps.prisma.enrolment.findFirst({ where: { id, personId: ctx.person!.id }, select: { eventId: true } }) : null;
    if (!e) return ack(ctx, ctx.t("errors.stale_button"), true);
    const r = await cancelEnrolment(ctx.deps.prisma, ctx.deps.clock, { eventId: e.eventId, personId: ctx.person!.id, key: pressKey(ctx.callbackQuery) }, eventSettings(ctx.deps.config));
    await ack(ctx, ctx.t(`events.cancel_result.${r}`), r !== "cancelled");
    if (r === "cancelled") await clearButtons(ctx, ctx.t("events.cancel_result.cancelled"));
  });
  c.callbackQuery(/^ev:(acc|dec):(\d+)$/, async (ctx) => {
    const id = dbInt(ctx.match[2]);
    if (!id) return ack(ctx, ctx.t("errors.stale_button"), true);
    const input = { enrolmentId: id, personId: ctx.person!.id, key: pressKey(ctx.callbackQuery) };
    const r = ctx.match[1] === "acc" ? await acceptOffer(ctx.deps.prisma, ctx.deps.clock, input, eventSettings(ctx.deps.config)) : (await declineOffer(ctx.deps.prisma, ctx.deps.clock, input, eventSettings(ctx.deps.config))) ? "declined" : "not_offered";
    await ack(ctx, ctx.t(`events.offer_result.${r}`), r === "expired" || r === "not_offered");
    await clearButtons(ctx, ctx.t(`events.offer_result.${r}`));
  });
  return c;
}

export const myEventsFeature: Feature = { name: "my-events", composer: mine(), commands: ["myevents"] };
