// People of the case tests, as they would come through the bot: a registered family member who
// asks for help, and appointed coordinators.
import type { User } from "grammy/types";
import type { TestDb } from "./db.js";
import type { Harness } from "./harness.js";
import { addCoordinator } from "../../src/services/cases/coordinators.js";
import { deliverDue } from "../../src/jobs/outbox.js";

/** A mother registered in the Tambov region (RU-TAM). */
export async function family(h: Harness, id: number, lang = "ru"): Promise<User> {
  const u = await h.member(id, lang);
  await h.press(u, "menu:profile");
  await h.press(u, "reg:role:family");
  await h.text(u, "Иванова Мария");
  await h.press(u, "form:relation:mother");
  await h.press(u, "form:skip");
  await h.text(u, "тамб");
  await h.press(u, "form:region:RU-TAM");
  await h.text(u, "+79001234567");
  await h.press(u, "form:skip");
  await h.press(u, "form:confirm");
  h.clear();
  return u;
}

/** A coordinator (by default of RU-TAM and payments) who has opened the bot. */
export async function coordinator(h: Harness, db: TestDb, id: number, over: Partial<Parameters<typeof addCoordinator>[1]> = {}): Promise<User> {
  await addCoordinator(db.prisma, { telegramId: id, regions: ["RU-TAM"], categories: ["payments"], ...over });
  return h.member(id);
}

/** Asks for help with payments through the form. */
export async function ask(h: Harness, u: User, text = "Не пришла выплата за сентябрь", urgency = "normal") {
  await h.press(u, "menu:ask");
  await h.press(u, "form:cat:payments");
  await h.text(u, text);
  await h.press(u, "form:done");
  await h.press(u, `form:urgency:${urgency}`);
  return h.press(u, "form:confirm");
}

/** Delivers the queued notices (pings, relays) as the outbox job would. */
export const deliver = (h: Harness) => deliverDue(h.deps, h.bot.api);
