// Cases that wait too long: pings not answered in time go to the next coordinator; waiting or
// resolved cases without an answer from the requester for CASE_AUTOCLOSE_DAYS are closed.
import type { BotDeps } from "../bot/context.js";
import { caseSettings } from "../bot/features/cases/settings.js";
import { closeInactive, escalateLapsed } from "../services/cases/lifecycle.js";
import type { Job } from "./scheduler.js";

export function escalationJob(deps: BotDeps): Job {
  return {
    name: "case-escalation",
    everyMs: deps.config.ESCALATION_INTERVAL_MS,
    run: async () => {
      await escalateLapsed(deps.prisma, deps.clock, caseSettings(deps.config));
      await closeInactive(deps.prisma, deps.clock, deps.config.CASE_AUTOCLOSE_DAYS);
    },
  };
}
