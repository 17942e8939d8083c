// The people of a case or an event, as tests play them through the real bot: a registered family
// member, a graduate, a coordinator (appointed, then through first contact), a request for help, two taken requests.
import type { User } from "grammy/types";
import type { TestDb } from "./db.js";
import type { Harness } from "./harness.js";
import { addCoordinator } from "../../src/services/cases/coordinators.js";

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

/** A graduate registered through the bot (institution given, interested in trainings); what the bot said is kept. */
export async function registeredGraduate(h: Harness, id: number, birth = "12.05.2004", lang = "ru", name = "Петров Иван"): Promise<User> {
  const u = await h.member(id, lang);
  await h.press(u, "menu:profile");
  await h.press(u, "reg:role:graduate");
  await h.text(u, name);
  await h.text(u, birth);
  await h.text(u, "тамб");
  await h.press(u, "form:region:RU-TAM");
  await h.text(u, "Детский дом № 1 г. Тамбова");
  await h.press(u, "form:skip");
  await h.text(u, "+79001234567");
  await h.press(u, "form:interest:trainings");
  await h.press(u, "form:done");
  await h.press(u, "form:confirm");
  return u;
}

/** The same, in Russian, with the calls cleared (for tests that look only at what comes next). */
export async function graduate(h: Harness, id: number, birth = "12.05.2004", name = "Петров Иван"): Promise<User> {
  const u = await registeredGraduate(h, id, birth, "ru", name);
  h.clear();
  return u;
}

export async function coordinator(h: Harness, db: TestDb, id: number, over: Partial<Parameters<typeof addCoordinator>[1]> = {}): Promise<User> {
  await addCoordinator(db.prisma, { telegramId: id, regions: ["RU-TAM"], categories: ["payments"], ...over });
  const u = await h.member(id);
  return u;
}

export async function ask(h: Harness, u: User, text = "Не пришла выплата за сентябрь", urgency = "normal") {
  await h.press(u, "menu:ask");
  await h.press(u, "form:cat:payments");
  await h.text(u, text);
  await h.press(u, "form:done");
  await h.press(u, `form:urgency:${urgency}`);
  return h.press(u, "form:confirm");
}

/** Two requests ("первое" from `first`, "второе" from `second`), both taken by `coord`. */
export async function twoTakenCases(h: Harness, db: TestDb, coord: User, first: User, second: User) {
  await ask(h, first, "первое");
  await ask(h, second, "второе");
  const [c1, c2] = await db.prisma.case.findMany({ orderBy: { id: "asc" } });
  await h.press(coord, `case:take:${c1!.id}`);
  await h.press(coord, `case:take:${c2!.id}`);
  return [c1!, c2!] as const;
}


/** Maria (7101) asked for help and coordinator `coordId` took it; everything delivered, calls cleared. */
export async function takenCase(h: Harness, db: TestDb, coordId = 7001) {
  const coord = await coordinator(h, db, coordId);
  const maria = await family(h, 7101);
  await ask(h, maria);
  await h.deliver();
  const c = await db.prisma.case.findFirstOrThrow();
  await h.press(coord, `case:take:${c.id}`);
  await h.deliver();
  h.clear();
  return { coord, maria, c };
}
