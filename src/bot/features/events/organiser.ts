// Organisers' buttons on a sign-up that waits for approval (a minor, or an event that needs it).
// The service checks the presser is an organiser of that event; a forged button changes nothing.
import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack, clearButtons } from "../../ui/menu.js";
import { dbInt } from "../../ui/callbacks.js";
import { pressKey } from "../cases/incoming.js";
import { decideApproval } from "../../../services/events/enrolment.js";
import { eventSettings } from "./settings.js";
import { actorOf } from "./actor.js";

/** Approves or rejects a sign-up (from a notice or the organiser's list); the service checks the presser may. */
export async function decide(ctx: BotContext, enrolmentId: number, approve: boolean) {
  return decideApproval(ctx.deps.prisma, ctx.deps.clock, { enrolmentId, approve, by: await actorOf(ctx), key: pressKey(ctx.callbackQuery!) }, eventSettings(ctx.deps.config));
}

function organiser(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.callbackQuery(/^ev:(ok|no):(\d+)$/, async (ctx) => {
    const id = dbInt(ctx.match[2]);
    if (!id) return ack(ctx, ctx.t("events.decided.not_allowed"), true);
    const r = await decide(ctx, id, ctx.match[1] === "ok");
    await ack(ctx, ctx.t(`events.decided.${r}`), r === "not_allowed" || r === "not_pending");
    if (r === "confirmed" || r === "rejected") await clearButtons(ctx, ctx.t(`events.decided.${r}`));
  });
  return c;
}

export const eventOrganiserFeature: Feature = { name: "event-organiser", composer: organiser() };
