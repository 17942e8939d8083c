// Appointing coordinators in the bot: an administrator sends
//   /invite RU-TAM,RU-LIP payments,legal [max] [supervisor]
// and gets a one-time t.me link; whoever opens it (after consent) becomes that coordinator.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { acceptInvite, CoordinatorError, createInvite, queueCommandMenu } from "../../services/cases/coordinators.js";
import { splitList } from "../../services/cases/assignment.js";
import { dbInt } from "../ui/callbacks.js";
import { isAdmin } from "../ui/staff.js";

export const INVITE_PREFIX = "inv_";

/** Uses an invite token for the person writing; tells them the outcome. */
export async function useInvite(ctx: BotContext, token: string): Promise<void> {
  const r = await acceptInvite(ctx.deps.prisma, ctx.deps.clock, token, ctx.from!.id);
  // The new coordinator's command menu gains the staff commands.
  if (r === "ok") await queueCommandMenu(ctx.deps.prisma, ctx.deps.clock(), ctx.from!.id);
  await ctx.reply(ctx.t(`admin.invite_${r}`));
}

function invites(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("invite", async (ctx) => {
    if (!isAdmin(ctx)) return ctx.reply(ctx.t("coordinator.not_allowed"));
    const [regions = "", categories = "", ...rest] = ctx.match.trim().split(/\s+/);
    const maxText = rest.find((x) => /^\d+$/.test(x));
    const max = dbInt(maxText);
    if (maxText && max === null) return ctx.reply(ctx.t("admin.invite_usage"));
    try {
      const token = await createInvite(ctx.deps.prisma, ctx.deps.clock, ctx.from!.id, {
        regions: regions === "-" ? [] : splitList(regions.toUpperCase()),
        categories: splitList(categories.toLowerCase()),
        maxOpen: max ?? undefined,
        supervisor: rest.includes("supervisor"),
      });
      await ctx.reply(ctx.t("admin.invite_link", { link: `https://t.me/${ctx.me.username}?start=${INVITE_PREFIX}${token}`, hours: 72 }));
    } catch (err) {
      if (!(err instanceof CoordinatorError)) throw err;
      await ctx.reply(`${ctx.t("admin.invite_usage")}\n\n${err.message}`);
    }
  });
  return c;
}

export const invitesFeature: Feature = { name: "invites", composer: invites() };
