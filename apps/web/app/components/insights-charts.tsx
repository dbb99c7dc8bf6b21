import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDay, formatDuration, formatPercent } from "../../src/format";
import type { StepHistoryPoint } from "../../src/presenters/project-insights.server";
import { useHydrated } from "../lib/use-hydrated";

const axisTick = { fontSize: 12, fill: "#71717a" };
const tooltipStyle = {
  borderRadius: 8,
  border: "1px solid #e4e4e7",
  boxShadow: "0 4px 16px rgba(0,0,0,0.08)",
  fontSize: 13,
};
const day = (bucket: string) => formatDay(bucket.slice(0, 10));

function Placeholder({ height }: { height: number }) {
  return <div className="chart-placeholder" style={{ height }} aria-hidden="true" />;
}

export function DurationTrendChart({
  rows,
}: {
  rows: { bucket: string; p50DurationMs: number | null; p95DurationMs: number | null }[];
}) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder height={240} />;
  return (
    <figure className="chart" aria-label="Build duration p50 and p95 per day">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis
            dataKey="bucket"
            tickFormatter={day}
            tick={axisTick}
            tickLine={false}
            minTickGap={24}
          />
          <YAxis
            tickFormatter={(v) => formatDuration(Number(v))}
            tick={axisTick}
            tickLine={false}
            axisLine={false}
            width={76}
          />
          <Tooltip
            labelFormatter={(l) => day(String(l))}
            formatter={(v, name) => [formatDuration(Number(v)), name]}
            contentStyle={tooltipStyle}
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          <Line
            dataKey="p50DurationMs"
            name="p50"
            stroke="#2563eb"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
          <Line
            dataKey="p95DurationMs"
            name="p95"
            stroke="#ea580c"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function HitRatioChart({ rows }: { rows: { bucket: string; hitRatio: number }[] }) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder height={240} />;
  return (
    <figure className="chart" aria-label="Cache hit ratio per day">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis
            dataKey="bucket"
            tickFormatter={day}
            tick={axisTick}
            tickLine={false}
            minTickGap={24}
          />
          <YAxis
            domain={[0, 1]}
            tickFormatter={(v) => formatPercent(Number(v))}
            tick={axisTick}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            labelFormatter={(l) => day(String(l))}
            formatter={(v) => [formatPercent(Number(v)), "cache hits"]}
            contentStyle={tooltipStyle}
          />
          <Line
            dataKey="hitRatio"
            name="cache hits"
            stroke="#059669"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function LintShareChart({ rows }: { rows: { code: string; share: number }[] }) {
  const hydrated = useHydrated();
  const height = Math.max(120, rows.length * 28 + 30);
  if (!hydrated) return <Placeholder height={height} />;
  return (
    <figure className="chart" aria-label="Share of Dockerfiles with each lint rule">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
          <XAxis
            type="number"
            domain={[0, 1]}
            tickFormatter={(v) => formatPercent(Number(v))}
            tick={axisTick}
          />
          <YAxis type="category" dataKey="code" tick={axisTick} width={64} />
          <Tooltip
            formatter={(v) => [formatPercent(Number(v)), "of Dockerfiles"]}
            contentStyle={tooltipStyle}
          />
          <Bar dataKey="share" fill="#d97706" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** One step's duration per build; cached runs drawn as short grey bars, failed ones red. */
export function StepHistoryChart({ points }: { points: StepHistoryPoint[] }) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder height={220} />;
  const data = points.map((p) => ({
    ...p,
    label: `#${p.number}`,
    shown: p.cached ? 0 : (p.durationMs ?? 0),
  }));
  return (
    <figure className="chart" aria-label="Step duration per build">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis dataKey="label" tick={axisTick} tickLine={false} minTickGap={12} />
          <YAxis
            tickFormatter={(v) => formatDuration(Number(v))}
            tick={axisTick}
            tickLine={false}
            axisLine={false}
            width={76}
          />
          <Tooltip
            formatter={(_v, _n, item) => {
              const p = item.payload as (typeof data)[number];
              return [
                p.cached ? "cached" : formatDuration(p.durationMs),
                p.failed ? "failed" : "duration",
              ];
            }}
            contentStyle={tooltipStyle}
          />
          <Bar dataKey="shown" minPointSize={3} isAnimationActive={false}>
            {data.map((p) => (
              <Cell key={p.number} fill={p.failed ? "#dc2626" : p.cached ? "#a1a1aa" : "#2563eb"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
