// The people of the end-to-end tests, as emulator clients: first contact, registering as a family
// member, asking for help. Shared by the e2e files.
import { type e2eWorld, person } from "./emulator.js";

type World = Awaited<ReturnType<typeof e2eWorld>>;
export type Client = ReturnType<typeof client>;

/** A Telegram user of the emulator, talking to the real bot process. */
export function client(world: World, chatId: number, name: string) {
  return person(world.server, { userId: chatId, firstName: name });
}

export async function onboard(p: Client) {
  await p.command("/start");
  await p.expect(/Выберите язык/);
  await p.press("lang:ru");
  await p.expect(/Вы даёте согласие/);
  await p.press("consent:yes");
  await p.expect(/Главное меню/);
}

export async function registerFamily(p: Client, name: string) {
  await p.press("menu:profile");
  await p.expect(/кто вы/);
  await p.press("reg:role:family");
  await p.expect(/Как вас зовут/);
  await p.say(name);
  await p.expect(/Кем вы приходитесь/);
  await p.press("form:relation:wife");
  await p.expect(/Что с вашим близким/);
  await p.press("form:skip");
  await p.expect(/В каком регионе/);
  await p.say("тамб");
  await p.expect(/Выберите регион/);
  await p.press("form:region:RU-TAM");
  await p.expect(/номер телефона/);
  await p.say("+79001112233");
  await p.expect(/Когда вам удобнее/);
  await p.press("form:skip");
  await p.expect(/Проверьте/);
  await p.press("form:confirm");
  await p.expect(/вы зарегистрированы/);
}

export async function askForHelp(p: Client, text: string, urgency: "normal" | "urgent") {
  await p.press("menu:ask");
  await p.expect(/С чем нужна помощь/);
  await p.press("form:cat:payments");
  await p.expect(/Опишите ситуацию/);
  await p.say(text);
  await p.expect(/Получил/);
  await p.press("form:done");
  await p.expect(/Насколько срочно/);
  await p.press(`form:urgency:${urgency}`);
  await p.expect(/Проверьте обращение/);
  await p.press("form:confirm");
  const created = await p.expect(/принято/);
  return /#(A-\d+)/.exec(created.text)![1]!;
}

