// The /stats picture, drawn in-process to PNG (Chart.js on @napi-rs/canvas, nothing downloaded):
// cases opened per week by status for the last 12 weeks, beside cases by region or category. The
// labels come in the reader's language. A font with Cyrillic and Lithuanian letters is registered
// from the machine's fonts when one is there (DejaVu, Liberation); without one the picture is still
// drawn with the canvas's default font, which may lack some letters.
import { existsSync } from "node:fs";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { Chart, registerables, type ChartConfiguration } from "chart.js";
import type { Count, WeekBar } from "../../../services/reports/figures.js";

Chart.register(...registerables);

const FONT_FILES = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/TTF/DejaVuSans.ttf",
  "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];

let family: string | null | undefined;
/** The font family registered for charts, or null when the machine has none of the known ones. */
export function chartFont(): string | null {
  if (family !== undefined) return family;
  family = null;
  for (const f of [process.env.CHART_FONT_FILE, ...FONT_FILES]) {
    if (f && existsSync(f) && GlobalFonts.registerFromPath(f, "ReportSans")) {
      family = "ReportSans";
      break;
    }
  }
  return family;
}

/** Statuses drawn, in order, with their colours. */
const STATUS_COLOURS: Record<string, string> = {
  new: "#9e9e9e", assigned: "#ffb300", in_progress: "#1e88e5", waiting: "#8e24aa", resolved: "#43a047", closed: "#2e7d32", cancelled: "#e53935",
};

export interface ChartLabels {
  weeksTitle: string;
  breakdownTitle: string;
  status: (s: string) => string;
  key: (k: string) => string;
  week: (monday: string) => string;
}

const W = 1000;
const H = 460;

function draw(config: ChartConfiguration, width: number, height: number) {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, config);
  return { canvas, chart };
}

/** The PNG: two charts side by side. */
export async function renderStatsChart(weeks: WeekBar[], breakdown: Count[], labels: ChartLabels): Promise<Buffer> {
  const font = chartFont();
  Chart.defaults.font.family = font ?? "sans-serif";
  Chart.defaults.font.size = 13;
  const common = { animation: false as const, responsive: false, devicePixelRatio: 1 };
  const statuses = Object.keys(STATUS_COLOURS).filter((s) => weeks.some((w) => w.byStatus[s]));
  const left = draw(
    {
      type: "bar",
      data: {
        labels: weeks.map((w) => labels.week(w.week)),
        datasets: statuses.map((s) => ({ label: labels.status(s), data: weeks.map((w) => w.byStatus[s] ?? 0), backgroundColor: STATUS_COLOURS[s] })),
      },
      options: { ...common, plugins: { title: { display: true, text: labels.weeksTitle }, legend: { position: "bottom" } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    },
    W * 0.6, H,
  );
  const top = breakdown.slice(0, 10);
  const right = draw(
    {
      type: "bar",
      data: { labels: top.map((c) => labels.key(c.key)), datasets: [{ label: labels.breakdownTitle, data: top.map((c) => c.count), backgroundColor: "#1e88e5" }] },
      options: { ...common, indexAxis: "y", plugins: { title: { display: true, text: labels.breakdownTitle }, legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
    W * 0.4, H,
  );
  const out = createCanvas(W, H);
  const ctx = out.getContext("2d");
  ctx.drawImage(left.canvas, 0, 0);
  ctx.drawImage(right.canvas, W * 0.6, 0);
  // Destroying a chart clears its canvas: only once both are copied.
  left.chart.destroy();
  right.chart.destroy();
  return out.encode("png");
}
