// Telegram's HTML parse mode as its server checks it: only its tags, every tag closed in order,
// and the plain text (tags removed, entities decoded) is what the length limits count.

/** The tags Telegram accepts in parse_mode HTML. */
export const TELEGRAM_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);

const ENTITY: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function decode(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITY[e.toLowerCase()]!;
  });
}

/** The text a reader sees, or the error Telegram answers ("can't parse entities: …"). */
export function parseHtml(html: string): { plain: string } | { error: string } {
  const open: string[] = [];
  let plain = "";
  let last = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)?[^>]*>/g)) {
    plain += html.slice(last, m.index);
    last = m.index! + m[0].length;
    const name = (m[2] ?? "").toLowerCase();
    if (!TELEGRAM_TAGS.has(name)) return { error: `Bad Request: can't parse entities: Unsupported ${m[1] ? "end" : "start"} tag "${name}" at byte offset ${Buffer.byteLength(html.slice(0, m.index))}` };
    if (!m[1]) open.push(name);
    else if (open.pop() !== name) return { error: `Bad Request: can't parse entities: Unmatched end tag at byte offset ${Buffer.byteLength(html.slice(0, m.index))}, expected "</${open.at(-1) ?? ""}>", found "</${name}>"` };
  }
  if (open.length) return { error: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"` };
  plain += html.slice(last);
  if (plain.includes("<")) return { error: "Bad Request: can't parse entities: Unexpected end of name token; use &lt; for a literal <" };
  return { plain: decode(plain) };
}
