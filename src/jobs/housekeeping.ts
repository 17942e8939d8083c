// Forgetting on schedule: received updates once Telegram can no longer re-deliver them (it keeps
// updates 24 h), delivered notices after a week (they record whom the bot wrote to), unfinished
// forms and held messages after FORM_EXPIRY_DAYS.
import type { BotDeps } from "../bot/context.js";
import { pruneInbox } from "../services/delivery/updates.js";
import { pruneOutbox } from "../services/delivery/outbox.js";
import { expireUnfinished } from "../services/people/retention.js";
import { CONVERSATION_PREFIX } from "../bot/transport/storage.js";
import { pruneJobs } from "../services/events/runner.js";
import type { Job } from "./scheduler.js";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
export const SENT_NOTICES_KEPT_DAYS = 7;

export async function forgetOnSchedule({ prisma, clock, config }: Pick<BotDeps, "prisma" | "clock" | "config">): Promise<void> {
  const now = clock().getTime();
  await pruneInbox(prisma, new Date(now - 48 * HOUR));
  await pruneOutbox(prisma, new Date(now - SENT_NOTICES_KEPT_DAYS * DAY));
  await expireUnfinished(prisma, new Date(now - config.FORM_EXPIRY_DAYS * DAY), CONVERSATION_PREFIX);
  await pruneJobs(prisma, new Date(now - SENT_NOTICES_KEPT_DAYS * DAY));
}

export function housekeepingJob(deps: BotDeps): Job {
  return { name: "housekeeping", everyMs: HOUR, run: () => forgetOnSchedule(deps) };
}
