import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatBytes } from "../../src/insights/format-bytes";
import type { ResourceSample } from "../../src/presenters/build-page.server";
import { useHydrated } from "../lib/use-hydrated";

const HEIGHT = 220;
const COLORS = ["#2563eb", "#7c3aed", "#059669"];
const axisTick = { fontSize: 12, fill: "#71717a" };
const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/** Builder CPU (%) and memory over the build, memory against the engine's limit. */
export function ResourceCharts({
  samples,
  memoryLimitBytes,
}: {
  samples: ResourceSample[];
  memoryLimitBytes: number | null;
}) {
  const hydrated = useHydrated();
  if (!hydrated) {
    return <div className="chart-placeholder" style={{ height: HEIGHT * 2 }} aria-hidden="true" />;
  }
  const maxMem = Math.max(memoryLimitBytes ?? 0, ...samples.map((s) => s.memoryBytes));
  // One series per platform (each platform has its own engine), joined on the sample time.
  const platforms = [...new Set(samples.map((s) => s.platform ?? "builder"))];
  const byTime = new Map<number, Record<string, number>>();
  for (const s of samples) {
    const row = byTime.get(s.t) ?? { t: s.t };
    const key = s.platform ?? "builder";
    row[`cpu:${key}`] = s.cpuPercent;
    row[`mem:${key}`] = s.memoryBytes;
    byTime.set(s.t, row);
  }
  const data = [...byTime.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
  return (
    <div className="chart-grid">
      <figure className="chart" aria-label="Builder CPU over the build">
        <figcaption className="muted">CPU (% of one core)</figcaption>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
            <CartesianGrid vertical={false} stroke="#ececef" />
            <XAxis dataKey="t" tickFormatter={seconds} tick={axisTick} tickLine={false} />
            <YAxis tick={axisTick} tickLine={false} axisLine={false} unit="%" />
            <Tooltip
              labelFormatter={(t) => seconds(Number(t))}
              formatter={(v, name) => [`${Math.round(Number(v))}%`, name]}
            />
            {platforms.length > 1 ? <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} /> : null}
            {platforms.map((platform, i) => (
              <Line
                key={platform}
                dataKey={`cpu:${platform}`}
                name={platforms.length > 1 ? `CPU ${platform}` : "CPU"}
                stroke={COLORS[i % COLORS.length]}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart" aria-label="Builder memory over the build">
        <figcaption className="muted">Memory</figcaption>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
            <CartesianGrid vertical={false} stroke="#ececef" />
            <XAxis dataKey="t" tickFormatter={seconds} tick={axisTick} tickLine={false} />
            <YAxis
              tick={axisTick}
              tickLine={false}
              axisLine={false}
              domain={[0, Math.ceil(maxMem * 1.05)]}
              tickFormatter={(v) => formatBytes(Number(v))}
              width={64}
            />
            <Tooltip
              labelFormatter={(t) => seconds(Number(t))}
              formatter={(v, name) => [formatBytes(Number(v)), name]}
            />
            <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} />
            {memoryLimitBytes !== null ? (
              <ReferenceLine
                y={memoryLimitBytes}
                stroke="#dc2626"
                strokeDasharray="4 4"
                label={{
                  value: `limit ${formatBytes(memoryLimitBytes)}`,
                  fontSize: 11,
                  fill: "#b91c1c",
                  position: "insideTopRight",
                }}
              />
            ) : null}
            {platforms.map((platform, i) => (
              <Line
                key={platform}
                dataKey={`mem:${platform}`}
                name={platforms.length > 1 ? `Memory ${platform}` : "Memory"}
                stroke={COLORS[(i + 1) % COLORS.length]}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
