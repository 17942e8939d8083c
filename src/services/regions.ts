// Regions are data (prisma/seed/regions.json), searched by any part of their name in any language.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../db/client.js";
import type { Locale } from "../i18n.js";

export interface RegionRow {
  code: string;
  country: string;
  nameRu: string;
  nameEn: string;
  nameLt: string | null;
}

const seedFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prisma", "seed", "regions.json");

export function regionSeed(): RegionRow[] {
  const data = JSON.parse(readFileSync(seedFile, "utf8")) as { regions: (Omit<RegionRow, "nameLt"> & { nameLt?: string })[] };
  return data.regions.map((r) => ({ ...r, nameLt: r.nameLt ?? null }));
}

/** Adds new regions and refreshes names; leaves `enabled` as administrators set it. */
export async function seedRegions(db: Db): Promise<number> {
  const rows = regionSeed();
  const existing = new Map((await db.region.findMany()).map((r) => [r.code, r]));
  let changed = 0;
  for (const [i, r] of rows.entries()) {
    const old = existing.get(r.code);
    if (old && old.nameRu === r.nameRu && old.nameEn === r.nameEn && old.nameLt === r.nameLt && old.sort === i && old.country === r.country) continue;
    await db.region.upsert({ where: { code: r.code }, create: { ...r, sort: i }, update: { ...r, sort: i } });
    changed++;
  }
  return changed;
}

export function regionName(r: Pick<RegionRow, "nameRu" | "nameEn" | "nameLt">, locale: Locale): string {
  if (locale === "ru") return r.nameRu;
  if (locale === "lt") return r.nameLt ?? r.nameEn;
  return r.nameEn;
}

const fold = (s: string) => s.toLowerCase().replace(/ё/g, "е").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();

/**
 * Enabled regions of the served countries whose name (in any language) or code contains the
 * query: "тамб" finds Tambov, "RU-TAM" and "tambov" too. Prefix matches of a word come first.
 */
export async function searchRegions(db: Db, query: string, countries: string[], limit = 8): Promise<{ total: number; regions: RegionRow[] }> {
  const q = fold(query);
  if (q.length < 2) return { total: 0, regions: [] };
  const all = await db.region.findMany({ where: { enabled: true, country: { in: countries } }, orderBy: { sort: "asc" } });
  const scored = all
    .map((r) => {
      const names = [r.nameRu, r.nameEn, r.nameLt ?? "", r.code].map(fold);
      if (names.some((n) => n === q)) return { r, score: 0 };
      if (names.some((n) => n.split(" ").some((w) => w.startsWith(q)))) return { r, score: 1 };
      if (names.some((n) => n.includes(q))) return { r, score: 2 };
      return null;
    })
    .filter((x): x is { r: (typeof all)[number]; score: number } => x !== null)
    .sort((a, b) => a.score - b.score);
  // An exact name is the answer even if it is also part of other names ("Москва" vs "Московская").
  const exact = scored.filter((s) => s.score === 0);
  const chosen = exact.length === 1 ? exact : scored;
  return { total: chosen.length, regions: chosen.slice(0, limit).map((s) => s.r) };
}

export async function findRegion(db: Db, code: string, countries: string[]): Promise<RegionRow | null> {
  const r = await db.region.findUnique({ where: { code } });
  return r && r.enabled && countries.includes(r.country) ? r : null;
}

export async function setRegionEnabled(db: Db, code: string, enabled: boolean): Promise<boolean> {
  const { count } = await db.region.updateMany({ where: { code }, data: { enabled } });
  return count === 1;
}
