// The real bot process against a Bot API emulator on loopback: first contact, a SIGKILL in the
// middle of it, and a graceful SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { botMessages, e2eWorld, person, waitForMessage, type Emulator } from "../helpers/emulator.js";

describe("end to end through a Bot API emulator", () => {
  let world: Awaited<ReturnType<typeof e2eWorld>>;
  let server: Emulator;
  beforeAll(async () => {
    world = await e2eWorld({ PROGRAMME_NAME: "E2E programme" });
    server = world.server;
  });
  afterAll(() => world.stop());

  it("goes /start → language → (bot killed) → consent → main menu, and stops cleanly on SIGTERM", async () => {
    const first = await world.start();
    const maria = person(server, { userId: 4242, firstName: "Мария", userName: "maria" });

    await maria.command("/start");
    const langPrompt = await waitForMessage(server, 4242, /Выберите язык/);
    expect(langPrompt.buttons.map((b) => b[1])).toEqual(["lang:ru", "lang:en", "lang:lt"]);

    await maria.press("lang:en");
    const consentPrompt = await waitForMessage(server, 4242, /Do you consent/);
    expect(consentPrompt.text).toContain("E2E programme");
    expect(consentPrompt.buttons.map((b) => b[1])).toEqual(["consent:yes", "consent:no"]);

    // Killed without warning between two steps of the flow.
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe(null);

    const second = await world.start();
    const before = botMessages(server, 4242).length;
    await maria.press("consent:yes");
    const menu = await waitForMessage(server, 4242, /Main menu/, before);
    expect(menu.text).toContain("Thank you! Your consent is recorded.");
    expect(menu.buttons.map((b) => b[1])).toEqual(["menu:profile", "menu:ask", "menu:mycases", "menu:events", "menu:faq", "menu:help", "menu:language", "menu:privacy"]);

    await maria.press("menu:help");
    await waitForMessage(server, 4242, /Commands:/, before);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('"msg":"stopped"');
    // No personal data in the logs: not the name, not the username, not the chat id.
    const logs = first.output() + second.output();
    expect(logs).not.toMatch(/Мария|maria|4242/);

    const db = new Database(world.dbFile, { readonly: true });
    const rows = db.prepare(`SELECT p.locale, c.version FROM Person p JOIN Consent c ON c.personId = p.id WHERE p.telegramId = 4242`).all();
    db.close();
    expect(rows).toEqual([{ locale: "en", version: "2" }]);
  }, 90_000);

  it("refuses to start with a bad setting, naming it in one line", async () => {
    await expect(world.start({ BOT_TOKEN: "oops" })).rejects.toThrow(/Configuration error: BOT_TOKEN must look like/);
  }, 30_000);
});
