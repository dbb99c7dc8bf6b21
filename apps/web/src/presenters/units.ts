/** Byte and minute formatting for the cache and runner pages. Pure: used by pages in the browser. */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatMinutes(minutes: number): string {
  if (minutes >= 600) return `${Math.round(minutes / 60).toLocaleString("en-US")} h`;
  if (minutes >= 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${minutes.toFixed(minutes >= 10 ? 0 : 1)} min`;
}
