// Coordinators are appointed by administrators: from the CLI or through a one-time invite link.
import { randomBytes } from "node:crypto";
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { reassignCasesOf, type CaseSettings } from "./lifecycle.js";
import { CATEGORIES } from "../vocabulary.js";
import { enqueue } from "../delivery/outbox.js";

export interface CoordinatorInput {
  telegramId: number;
  regions: string[];
  categories: string[];
  maxOpen?: number;
  supervisor?: boolean;
}

export class CoordinatorError extends Error {}

/** Checks region codes against the region table and categories against the one list. */
export async function checkScope(db: Db, regions: string[], categories: string[]): Promise<void> {
  const badCats = categories.filter((c) => !(CATEGORIES as readonly string[]).includes(c));
  if (badCats.length) throw new CoordinatorError(`unknown category: ${badCats.join(", ")} (known: ${CATEGORIES.join(", ")})`);
  const known = new Set((await db.region.findMany({ where: { code: { in: regions } }, select: { code: true } })).map((r) => r.code));
  const badRegions = regions.filter((r) => !known.has(r));
  if (badRegions.length) throw new CoordinatorError(`unknown region: ${badRegions.join(", ")} (codes like RU-TAM; see npm run admin -- region list)`);
}

/**
 * Queues the chat's command menu to follow its staff role (the outbox sets or removes the per-chat
 * command scope at delivery, from the role then in force). Called by those who give or take a role
 * (the admin CLI, an accepted invite), so the menu follows every change.
 */
export async function queueCommandMenu(db: Pick<Db, "outbox">, now: Date, telegramId: number | bigint): Promise<void> {
  await enqueue(db, now, `commands:${telegramId}:${now.getTime()}`, telegramId, { kind: "commands" });
}

export async function addCoordinator(db: Db, input: CoordinatorInput) {
  await checkScope(db, input.regions, input.categories);
  if (!input.categories.length && !input.supervisor) throw new CoordinatorError("a coordinator needs at least one category (or --supervisor)");
  const data = { regions: input.regions.join(","), categories: input.categories.join(","), maxOpen: input.maxOpen ?? 10, supervisor: input.supervisor ?? false, active: true };
  return db.coordinator.upsert({ where: { telegramId: BigInt(input.telegramId) }, create: { telegramId: BigInt(input.telegramId), ...data }, update: data });
}

export async function updateCoordinator(db: Db, telegramId: number, patch: Partial<Omit<CoordinatorInput, "telegramId">> & { onDuty?: boolean; organiser?: boolean }) {
  const existing = await db.coordinator.findUnique({ where: { telegramId: BigInt(telegramId) } });
  if (!existing) throw new CoordinatorError(`no coordinator with telegram id ${telegramId}`);
  await checkScope(db, patch.regions ?? [], patch.categories ?? []);
  return db.coordinator.update({
    where: { id: existing.id },
    data: {
      ...(patch.regions ? { regions: patch.regions.join(",") } : {}),
      ...(patch.categories ? { categories: patch.categories.join(",") } : {}),
      ...(patch.maxOpen !== undefined ? { maxOpen: patch.maxOpen } : {}),
      ...(patch.supervisor !== undefined ? { supervisor: patch.supervisor } : {}),
      ...(patch.onDuty !== undefined ? { onDuty: patch.onDuty } : {}),
      ...(patch.organiser !== undefined ? { organiser: patch.organiser } : {}),
    },
  });
}

/** Deactivates a coordinator and hands their open cases to others. Returns how many moved. */
export async function removeCoordinator(db: Db, clock: Clock, telegramId: number, settings: CaseSettings): Promise<number> {
  const existing = await db.coordinator.findUnique({ where: { telegramId: BigInt(telegramId) } });
  if (!existing) throw new CoordinatorError(`no coordinator with telegram id ${telegramId}`);
  await db.coordinator.update({ where: { id: existing.id }, data: { active: false, onDuty: false } });
  return reassignCasesOf(db, clock, existing.id, settings);
}

export async function listCoordinators(db: Db) {
  return db.coordinator.findMany({ orderBy: { id: "asc" } });
}

/** A one-time invite, valid for `hours`; its token goes into a t.me/<bot>?start=inv_<token> link. */
export async function createInvite(db: Db, clock: Clock, by: number, scope: Omit<CoordinatorInput, "telegramId">, hours = 72): Promise<string> {
  await checkScope(db, scope.regions, scope.categories);
  const token = randomBytes(12).toString("base64url");
  await db.invite.create({
    data: { token, regions: scope.regions.join(","), categories: scope.categories.join(","), maxOpen: scope.maxOpen ?? 10, supervisor: scope.supervisor ?? false, createdBy: BigInt(by), expiresAt: new Date(clock().getTime() + hours * 3600_000) },
  });
  return token;
}

/** Uses an invite once; returns the new coordinator, or why not. */
export async function acceptInvite(db: Db, clock: Clock, token: string, telegramId: number): Promise<"ok" | "expired" | "used" | "unknown"> {
  const now = clock();
  const inv = await db.invite.findUnique({ where: { token } });
  if (!inv) return "unknown";
  if (inv.usedAt) return inv.usedBy === BigInt(telegramId) ? "ok" : "used";
  if (inv.expiresAt < now) return "expired";
  const { count } = await db.invite.updateMany({ where: { token, usedAt: null }, data: { usedAt: now, usedBy: BigInt(telegramId) } });
  if (count === 0) return "used";
  await addCoordinator(db, { telegramId, regions: inv.regions ? inv.regions.split(",") : [], categories: inv.categories ? inv.categories.split(",") : [], maxOpen: inv.maxOpen, supervisor: inv.supervisor });
  return "ok";
}
