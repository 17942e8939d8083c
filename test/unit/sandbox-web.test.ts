// The sandbox page's API on loopback, without the bot: only the page's own origin may drive it,
// personas are the known ones, what people send reaches the Bot API's updates, and uploaded files
// are shown inline only when they are plain images.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BotApi } from "../../src/sandbox/bot-api/server.js";
import { pageHandler } from "../../src/sandbox/web.js";
import { PERSONAS } from "../../src/sandbox/personas.js";

let server: Server;
let base = "";
const api = new BotApi();
let resets = 0;
beforeAll(async () => {
  for (const p of PERSONAS) api.state.addUser({ id: p.id, first_name: p.first_name });
  const page = pageHandler({ api, reset: async () => void resets++, defaultLocale: "ru" });
  server = createServer((req, res) => void (api.handle(req, res) || page(req, res)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

it("serves the page with its own strings, personas and a policy that allows nothing from elsewhere", async () => {
  const res = await fetch(`${base}/`);
  expect(res.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
  expect(await res.text()).toContain('<script src="/app.js"></script>');
  const setup = await (await fetch(`${base}/api/setup?lang=lt`)).json();
  expect(setup.lang).toBe("lt");
  expect(setup.strings.reset).toBe("Pradėti iš naujo");
  expect(setup.personas.map((p: { kind: string }) => p.kind)).toEqual(["family", "graduate", "coordinator", "supervisor", "admin"]);
});

it("refuses another site's request and an unknown persona; a contact press sends the persona's own phone", async () => {
  expect((await post("/api/reset", {}, { origin: "https://evil.example" })).status).toBe(403);
  expect((await fetch(`${base}/api/send`, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"user":1001,"text":"x"}' })).status).toBe(404);
  expect(resets).toBe(0);
  expect((await post("/api/send", { user: 4242, text: "hi" })).status).toBe(400);
  expect((await post("/api/send", { user: 1001, contact: true })).status).toBe(200);
  expect(api.state.updates.at(-1)!.message).toMatchObject({ from: { id: 1001 }, contact: { phone_number: PERSONAS[0]!.phone, user_id: 1001 } });
  expect((await post("/api/reset", {})).status).toBe(200);
  expect(resets).toBe(1);
});

it("an uploaded photo reaches the bot as a photo; an SVG is only ever downloaded", async () => {
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
  expect((await fetch(`${base}/api/upload?user=1001&kind=photo&name=a.png`, { method: "POST", headers: { "content-type": "image/png" }, body: png })).status).toBe(200);
  const photo = api.state.updates.at(-1)!.message as { photo: { file_id: string }[] };
  const shown = await fetch(`${base}/files/${photo.photo[0]!.file_id}?inline`);
  expect(shown.headers.get("content-disposition")).toMatch(/^inline/);
  expect(Buffer.from(await shown.arrayBuffer())).toEqual(png);

  await fetch(`${base}/api/upload?user=1001&kind=document&name=x.svg`, { method: "POST", headers: { "content-type": "image/svg+xml" }, body: "<svg onload=alert(1)></svg>" });
  const doc = api.state.updates.at(-1)!.message as { document: { file_id: string; file_name: string } };
  expect(doc.document.file_name).toBe("x.svg");
  const svg = await fetch(`${base}/files/${doc.document.file_id}?inline`);
  expect(svg.headers.get("content-disposition")).toMatch(/^attachment/);
  expect(svg.headers.get("x-content-type-options")).toBe("nosniff");
});
