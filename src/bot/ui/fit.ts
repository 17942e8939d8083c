// The last line of defence for Telegram's size limits on what the bot sends (HTML): builders fit
// their messages by design (services/text.ts), and anything that still comes out too long is split
// or cut here instead of being refused by Telegram and lost.
import { CAPTION_LIMIT, splitText, TEXT_LIMIT, visibleLength } from "../../services/text.js";

const stripTags = (html: string) => html.replace(/<[^>]*>/g, "");

/** A hard cut must not end inside an HTML entity such as &amp;. */
function entitySafe(piece: string): string {
  const open = /&[a-z#0-9]{0,8}$/i.exec(piece);
  return open ? piece.slice(0, open.index) : piece;
}

/** Splits HTML into messages of at most `max` visible characters, between lines where it can. */
export function splitHtml(html: string, max = TEXT_LIMIT): string[] {
  if (visibleLength(html) <= max) return [html];
  const out: string[] = [];
  let current = "";
  const flush = () => {
    if (current) out.push(current);
    current = "";
  };
  for (const line of html.split("\n")) {
    if (visibleLength(line) > max) {
      // One very long line: its formatting is dropped, its words kept, cut at word breaks.
      flush();
      let rest = stripTags(line);
      while (rest.length) {
        const piece = entitySafe(splitText(rest, max)[0]!) || rest.slice(0, max);
        out.push(piece);
        rest = rest.slice(piece.length).trimStart();
      }
      continue;
    }
    const candidate = current ? `${current}\n${line}` : line;
    if (visibleLength(candidate) > max) {
      flush();
      current = line;
    } else current = candidate;
  }
  flush();
  return out;
}

/** Cuts an HTML caption (or an edited text) to `max` visible characters, ending with "…". */
export function cutHtml(html: string, max = CAPTION_LIMIT): string {
  if (visibleLength(html) <= max) return html;
  const first = splitHtml(html, max - 1)[0] ?? "";
  return `${first}…`;
}

/** `head`, then as many of `tail`'s last lines as fit in `budget` visible characters (with a "…" line if some are left out). */
export function fitLines(head: string[], tail: string[], budget: number, omitted: (n: number) => string): string {
  let used = visibleLength(head.join("\n"));
  const kept: string[] = [];
  for (let i = tail.length - 1; i >= 0; i--) {
    const len = visibleLength(tail[i]!) + 1;
    if (used + len > budget - 80) break;
    kept.unshift(tail[i]!);
    used += len;
  }
  const left = tail.length - kept.length;
  return [...head, ...(left ? [omitted(left)] : []), ...kept].join("\n");
}
