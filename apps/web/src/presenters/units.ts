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

/**
 * Axis ticks for byte values from 0 to at least `max`: at most 5 steps of 1, 2 or 5 (× a power of
 * ten) of one binary unit, so the labels read 0, 10 GiB, 20 GiB, ... rather than 13.97 GiB.
 */
export function byteTicks(max: number): number[] {
  const top = Math.max(1, max);
  let unit = 1;
  while (top / unit >= 1024 && unit < 1024 ** 4) unit *= 1024;
  const value = top / unit;
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].find((m) => Math.ceil(value / (m * magnitude)) <= 5);
    if (found !== undefined) {
      step = found * magnitude;
      break;
    }
  }
  // below one unit (a fraction of a KiB and so on), whole units
  const stepBytes = Math.max(1, step * unit);
  const count = Math.max(1, Math.ceil(top / stepBytes));
  return Array.from({ length: count + 1 }, (_, i) => i * stepBytes);
}
