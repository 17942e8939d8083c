// An article as a Telegram message: the title, the body (the files' small Markdown subset made
// into Telegram HTML), its sources and when it was checked. Bodies are at most 3,500 characters
// (checked on import) and sources are capped, so the message always fits Telegram's 4,096.
import { escapeHtml, type Locale } from "../../../i18n.js";
import { articleText, type Article } from "../../../services/knowledge/articles.js";
import { cut } from "../../../services/text.js";
import type { Translate } from "../../../i18n.js";

const SOURCES_SHOWN = 4;
/** Titles are not length-checked on import; with the 3,500-character body limit this keeps an article under 4,096. */
const TITLE_SHOWN = 200;

/** **bold**, [text](https://link) and "- " list lines; everything else is plain, escaped text. */
export function markdownToHtml(md: string): string {
  return md
    .split("\n")
    .map((line) => {
      const bullet = /^\s*[-*]\s+/.test(line);
      let html = escapeHtml(bullet ? line.replace(/^\s*[-*]\s+/, "") : line);
      html = html.replace(/\*\*(.+?)\*\*/g, "<b>$1</b>");
      html = html.replace(/\[([^\]]+)\]\((https:\/\/[^\s)]+)\)/g, (_m, text: string, url: string) => `<a href="${url.replace(/"/g, "&quot;")}">${text}</a>`);
      return bullet ? `• ${html}` : html;
    })
    .join("\n");
}

export function articleHtml(a: Article, lang: Locale, t: Translate): string {
  const { title, body } = articleText(a, lang);
  const sources = a.sources.slice(0, SOURCES_SHOWN).map((s) => `• <a href="${escapeHtml(s.url)}">${escapeHtml(cut(s.title, 80))}</a>`);
  return [`<b>${escapeHtml(cut(title, TITLE_SHOWN))}</b>`, "", markdownToHtml(body), "", t("knowledge.sources"), ...sources, t("knowledge.reviewed", { date: a.reviewed })].join("\n");
}
