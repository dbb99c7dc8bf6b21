/**
 * Display formatting shared by server and browser. Deterministic on purpose: no locale or time
 * zone of the machine is used, so the server's HTML and the hydrated page always agree.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 950 → "950ms", 61_000 → "1m 1s", 3_720_000 → "1h 2m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return seconds === 0 ? `${minutes}m` : `${minutes}m ${seconds}s`;
}

/** A 0..1 ratio as a whole percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return "—";
  return `${Math.round(ratio * 100)}%`;
}

/** "just now", "5m ago", "3h ago", "2d ago", then the date. `now` comes from the loader. */
export function formatRelative(iso: string, now: string): string {
  const diff = Date.parse(now) - Date.parse(iso);
  if (!Number.isFinite(diff)) return "—";
  if (diff < 60_000) return "just now";
  const minutes = Math.floor(diff / 60_000);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days}d ago`;
  return formatDay(iso.slice(0, 10));
}

/** "2025-03-07T14:05:09Z" → "2025-03-07 14:05 UTC". */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "2025-03-07" → "Mar 7". */
export function formatDay(day: string): string {
  const [, month, date] = day.split("-").map(Number);
  const name = month === undefined ? undefined : MONTHS[month - 1];
  if (!name || !date) return day;
  return `${name} ${date}`;
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}
