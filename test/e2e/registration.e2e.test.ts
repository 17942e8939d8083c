// A family member registers through the real bot process and the emulator; the bot is killed in
// the middle of the form and the person carries on after it restarts. Then she downloads what is
// stored about her (/mydata) and erases it (/deleteme).
import { afterAll, beforeAll, expect, it } from "vitest";
import Database from "better-sqlite3";
import { e2eWorld, person } from "../helpers/emulator.js";

let world: Awaited<ReturnType<typeof e2eWorld>>;
beforeAll(async () => {
  world = await e2eWorld();
});
afterAll(() => world.stop());

it("registers a family member across a SIGKILL in the middle of the form", async () => {
  const first = await world.start();
  const { server } = world;
  const maria = person(server, { userId: 5151, firstName: "Мария" });

  await maria.command("/start");
  await maria.expect(/Выберите язык/);
  await maria.press("lang:ru");
  await maria.expect(/Вы даёте согласие/);
  await maria.press("consent:yes");
  await maria.expect(/Главное меню/);
  await maria.press("menu:profile");
  await maria.expect(/кто вы/);
  await maria.press("reg:role:family");
  await maria.expect(/Как вас зовут/);
  await maria.say("Иванова Мария");
  await maria.expect(/Кем вы приходитесь/);
  await maria.press("form:relation:mother");
  await maria.expect(/Что с вашим близким/);

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
  expect(confirm.text).toContain("<b>Регион:</b> Тамбовская область"); // tags as tags, not escaped
  expect(confirm.text).toContain("+79001234567");
  await maria.press("form:confirm");
  const done = await maria.expect(/вы зарегистрированы/);
  expect(done.buttons.map((b) => b[0])).toContain("👤 Мой профиль");

  const db = new Database(world.dbFile, { readonly: true });
  const profileRow = () => db.prepare(`SELECT role, fullName, relation, memberStatus, regionCode, phone, contactTime FROM Profile`).all();
  expect(profileRow()).toEqual([{ role: "family", fullName: "Иванова Мария", relation: "mother", memberStatus: "serving", regionCode: "RU-TAM", phone: "+79001234567", contactTime: "morning" }]);

  // /mydata: a JSON file with readable field names in her language and what she gave.
  await maria.command("/mydata");
  const file = await maria.expect(/всё, что бот хранит о вас/);
  expect(file.document?.file_name).toBe("my-data.json");
  const data = JSON.parse(file.document!.contents);
  expect(data["Профиль"]).toMatchObject({ "ФИО": "Иванова Мария", "Регион": "Тамбовская область", "Телефон": "+79001234567" });

  // /deleteme: asked first, then name and phone are gone and the bot forgets the chat.
  await maria.command("/deleteme");
  await maria.expect(/Удалить ваши данные\?/);
  await maria.press("erase:yes");
  await maria.expect(/Ваши данные удалены/);
  const [erased] = profileRow() as Record<string, unknown>[];
  expect(erased).toMatchObject({ role: "family", regionCode: "RU-TAM", fullName: null, phone: null });

  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  db.close();
  const logs = world.running.map((p) => p.output()).join("");
  expect(logs).not.toMatch(/Иванова|79001234567|5151/);
}, 120_000);

it("registers a graduate in Lithuanian in a programme serving Lithuania, and changes her phone from the profile", async () => {
  const bot = await world.start({ REGION_COUNTRIES: "LT" });
  const { server } = world;
  const ona = person(server, { userId: 6262, firstName: "Ona" });

  await ona.command("/start");
  await ona.expect(/Выберите язык/);
  await ona.press("lang:lt");
  await ona.expect(/Ar sutinkate/);
  await ona.press("consent:yes");
  await ona.expect(/Pagrindinis meniu/);
  await ona.press("menu:profile");
  await ona.expect(/kas jūs esate/);
  await ona.press("reg:role:graduate");
  await ona.expect(/Kuo jūs vardu/);
  await ona.say("Ona 2");
  await ona.expect(/neturi būti skaitmenų/); // a name with digits is refused with a reason
  await ona.say("Onaitė Ona");
  await ona.expect(/Gimimo data/);
  await ona.say("31.02.2005");
  await ona.expect(/Tokios datos nėra/); // there is no 31 February
  await ona.say("2006-03-05");
  const regionQ = await ona.expect(/Kuriame regione/);
  expect(regionQ.text).toContain("„viln“");
  await ona.say("viln");
  await ona.expect(/Pasirinkite regioną/);
  await ona.press("form:region:LT-VL");
  await ona.expect(/Kokią įstaigą/);
  await ona.press("form:skip");
  await ona.expect(/Kuriais metais/);
  await ona.press("form:skip");
  await ona.expect(/telefono numeris/);
  await ona.say("+370 612 34567");
  await ona.expect(/Kas domina/);
  await ona.press("form:interest:trainings");
  await ona.press("form:done");
  const confirm = await ona.expect(/Patikrinkite, ar viskas teisinga/);
  expect(confirm.text).toContain("Vilniaus apskritis");
  expect(confirm.text).toContain("+37061234567");
  await ona.press("form:confirm");
  await ona.expect(/jūs užsiregistravote/);

  await ona.command("/profile");
  await ona.expect(/Mano profilis/);
  await ona.press("profile:edit:phone");
  await ona.expect(/telefono numeris/);
  await ona.say("8 900 765-43-21");
  const saved = await ona.expect(/Išsaugota/);
  expect(saved.text).toContain("+79007654321");

  bot.child.kill("SIGTERM");
  expect(await bot.exited).toBe(0);
  const db = new Database(world.dbFile, { readonly: true });
  const row = db.prepare(`SELECT p.role, p.fullName, p.birthDate, p.regionCode, p.phone, p.interests, x.locale FROM Profile p JOIN Person x ON x.id = p.personId WHERE p.fullName = ?`).get("Onaitė Ona");
  db.close();
  expect(row).toMatchObject({ role: "graduate", regionCode: "LT-VL", phone: "+79007654321", interests: "trainings", locale: "lt" });
}, 120_000);
