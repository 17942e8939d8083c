// A family member registers through the real bot process and the emulator; the bot is killed in
// the middle of the form and the person carries on after it restarts.
import { afterAll, beforeAll, expect, it } from "vitest";
import Database from "better-sqlite3";
import { E2E_TOKEN, e2eWorld, person } from "../helpers/emulator.js";

let world: Awaited<ReturnType<typeof e2eWorld>>;
beforeAll(async () => {
  world = await e2eWorld();
});
afterAll(() => world.stop());

it("registers a family member across a SIGKILL in the middle of the form", async () => {
  const first = await world.start();
  const { server } = world;
  const maria = person(server, server.getClient(E2E_TOKEN, { userId: 5151, chatId: 5151, firstName: "Мария" }), 5151);

  await maria.command("/start");
  await maria.expect(/Выберите язык/);
  await maria.press("lang:ru");
  await maria.expect(/Вы согласны/);
  await maria.press("consent:yes");
  await maria.expect(/Главное меню/);
  await maria.press("menu:profile");
  await maria.expect(/кто вы/);
  await maria.press("reg:role:family");
  await maria.expect(/Как вас зовут/);
  await maria.say("Иванова Мария");
  await maria.expect(/Кем вы приходитесь/);
  await maria.press("form:relation:mother");
  await maria.expect(/Если хотите, расскажите/);

  first.child.kill("SIGKILL");
  await first.exited;
  const second = await world.start();

  await maria.press("form:memberStatus:serving");
  await maria.expect(/В каком регионе/);
  await maria.say("тамб");
  await maria.expect(/Выберите регион/);
  await maria.press("form:region:RU-TAM");
  await maria.expect(/номер телефона/);
  await maria.say("8 (900) 123-45-67");
  await maria.expect(/Когда вам удобнее/);
  await maria.press("form:contactTime:morning");
  const confirm = await maria.expect(/Проверьте, всё ли верно/);
  expect(confirm.text).toContain("Тамбовская область");
  expect(confirm.text).toContain("+79001234567");
  await maria.press("form:confirm");
  const done = await maria.expect(/вы зарегистрированы/);
  expect(done.buttons.map((b) => b[0])).toContain("👤 Мой профиль");

  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  const logs = world.running.map((p) => p.output()).join("");
  expect(logs).not.toMatch(/Иванова|79001234567|5151/);
  const db = new Database(world.dbFile, { readonly: true });
  const rows = db.prepare(`SELECT role, fullName, relation, memberStatus, regionCode, phone, contactTime FROM Profile`).all();
  db.close();
  expect(rows).toEqual([{ role: "family", fullName: "Иванова Мария", relation: "mother", memberStatus: "serving", regionCode: "RU-TAM", phone: "+79001234567", contactTime: "morning" }]);
}, 120_000);
