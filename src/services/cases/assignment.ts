// Who gets a new case. One pure rule, so it is easy to read and to test:
// 1. on-duty active coordinators serving the case's region and category,
// 2. else coordinators of the category for any region,
// 3. else supervisors (of the region first, then any);
// within a tier, the fewest open cases below their maximum; ties go to whoever waited longest
// since their last assignment.

export interface Candidate {
  id: number;
  regions: string[];
  categories: string[];
  maxOpen: number;
  openCases: number;
  onDuty: boolean;
  active: boolean;
  supervisor: boolean;
  lastAssignedAt: Date | null;
}

export interface CaseNeeds {
  category: string;
  regionCode: string | null;
  /** Coordinators who declined or let it lapse, or are otherwise not to be asked. */
  exclude?: ReadonlySet<number>;
}

function better(a: Candidate, b: Candidate): number {
  if (a.openCases !== b.openCases) return a.openCases - b.openCases;
  const at = a.lastAssignedAt?.getTime() ?? -Infinity;
  const bt = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id - b.id;
}

export function pickCoordinator<C extends Candidate>(candidates: readonly C[], need: CaseNeeds): C | null {
  const free = candidates.filter((c) => c.active && c.onDuty && c.openCases < c.maxOpen && !need.exclude?.has(c.id));
  const servesRegion = (c: Candidate) => need.regionCode !== null && c.regions.includes(need.regionCode);
  const tiers: ((c: Candidate) => boolean)[] = [
    (c) => servesRegion(c) && c.categories.includes(need.category),
    (c) => c.regions.length === 0 && c.categories.includes(need.category),
    (c) => c.supervisor && servesRegion(c),
    (c) => c.supervisor,
  ];
  for (const inTier of tiers) {
    const pool = free.filter(inTier);
    if (pool.length) return pool.reduce((best, c) => (better(c, best) < 0 ? c : best));
  }
  return null;
}

export const splitList = (s: string): string[] => s.split(",").map((x) => x.trim()).filter(Boolean);
