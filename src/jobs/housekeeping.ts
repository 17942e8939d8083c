// Forgets received updates once Telegram can no longer re-deliver them (it keeps updates 24 h).
import type { Db } from "../db/client.js";
import type { Clock } from "../services/clock.js";
import { pruneInbox } from "../services/delivery/updates.js";
import type { Job } from "./scheduler.js";

export function pruneUpdatesJob(prisma: Db, clock: Clock): Job {
  return { name: "prune-update-inbox", everyMs: 60 * 60 * 1000, run: () => pruneInbox(prisma, new Date(clock().getTime() - 48 * 3600 * 1000)) };
}
