// Who presses an organiser's button: the services' Organiser (their coordinator row, and whether
// they are an administrator), and the one check every organiser button and command makes before it
// shows or changes anything of an event (services/events/access.ts mayOrganise). Callback data can
// be forged: each press is checked again here, never trusted from an earlier screen.
import type { BotContext, FlowContext } from "../../context.js";
import { coordinatorByTelegram } from "../../../services/cases/queries.js";
import { isOrganiser, mayOrganise } from "../../../services/events/access.js";
import type { Organiser } from "../../../services/events/settings.js";
import { isAdmin } from "../../ui/staff.js";

type Ctx = BotContext | FlowContext;

/** The presser as the events services see them (not yet checked: the services check). */
export async function actorOf(ctx: Ctx): Promise<Organiser> {
  const me = ctx.from ? await coordinatorByTelegram(ctx.deps.prisma, ctx.from.id) : null;
  return { coordinatorId: me?.id ?? 0, admin: isAdmin(ctx) };
}

/** The presser if they may run events at all (an administrator, or an active organiser), else null. */
export async function organiserOf(ctx: Ctx): Promise<Organiser | null> {
  const by = await actorOf(ctx);
  return (await isOrganiser(ctx.deps.prisma, by)) ? by : null;
}

/** The event if the presser may organise it, with who they are; null for anyone else or no such event. */
export async function organisedEvent(ctx: Ctx, eventId: number | null) {
  const by = await organiserOf(ctx);
  if (!by || !eventId) return null;
  const event = await ctx.deps.prisma.event.findUnique({ where: { id: eventId } });
  return event && (await mayOrganise(ctx.deps.prisma, by, event)) ? { by, event } : null;
}
