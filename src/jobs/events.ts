// Scheduled work that is due (event offer deadlines and reminders, erasure after a withdrawal of consent): rows with a due time in the
// database (services/events/runner.ts), so a restart neither loses nor repeats one.
import type { BotDeps } from "../bot/context.js";
import { runDueJobs } from "../services/events/runner.js";
import { finishEndedEvents } from "../services/events/organise.js";
import { eventSettings } from "../bot/features/events/settings.js";
import type { Job } from "./scheduler.js";
import { sessionKeysOf } from "../bot/transport/storage.js";

export function eventsJob(deps: BotDeps): Job {
  return {
    name: "event-schedule",
    everyMs: deps.config.EVENT_JOBS_INTERVAL_MS,
    run: async () => {
      await runDueJobs(deps.prisma, deps.clock, eventSettings(deps.config), 100, { sessionKeysOf: sessionKeysOf });
      await finishEndedEvents(deps.prisma, deps.clock);
    },
  };
}
