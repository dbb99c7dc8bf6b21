import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDay } from "../../src/format";
import type { RunnerDay } from "../../src/presenters/runners.server";
import { useHydrated } from "../lib/use-hydrated";

const HEIGHT = 240;
const COLORS = ["#059669", "#2563eb", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#a1a1aa"];

const axis = {
  tickLine: false,
  tick: { fontSize: 12, fill: "#71717a" },
} as const;

const tooltipStyle = {
  borderRadius: 8,
  border: "1px solid #e4e4e7",
  boxShadow: "0 4px 16px rgba(0,0,0,0.08)",
  fontSize: 13,
};

function Placeholder() {
  return <div className="chart-placeholder" style={{ height: HEIGHT }} aria-hidden="true" />;
}

/** Minutes run per day, stacked by runner label. */
export function RunnerMinutesChart({ daily, series }: { daily: RunnerDay[]; series: string[] }) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder />;
  return (
    <figure className="chart" aria-label={`Runner minutes per day by label: ${series.join(", ")}`}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={daily} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis
            dataKey="day"
            tickFormatter={formatDay}
            axisLine={{ stroke: "#e4e4e7" }}
            minTickGap={24}
            {...axis}
          />
          <YAxis axisLine={false} unit=" min" width={64} {...axis} />
          <Tooltip
            labelFormatter={(day) => formatDay(String(day))}
            formatter={(value, name) => [`${value} min`, name]}
            separator=": "
            contentStyle={tooltipStyle}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
          {series.map((label, i) => (
            <Bar
              key={label}
              dataKey={label}
              name={label}
              stackId="minutes"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Queue time p95 per day, one line per label (seconds). */
export function RunnerQueueChart({ daily, series }: { daily: RunnerDay[]; series: string[] }) {
  const hydrated = useHydrated();
  const labels = series.filter((s) => s !== "other");
  if (!hydrated) return <Placeholder />;
  return (
    <figure className="chart" aria-label={`Queue time p95 per day by label: ${labels.join(", ")}`}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={daily} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis
            dataKey="day"
            tickFormatter={formatDay}
            axisLine={{ stroke: "#e4e4e7" }}
            minTickGap={24}
            {...axis}
          />
          <YAxis axisLine={false} unit=" s" width={56} {...axis} />
          <Tooltip
            labelFormatter={(day) => formatDay(String(day))}
            formatter={(value, name) => [
              value === null || value === undefined ? "—" : `${Number(value).toFixed(1)} s`,
              name,
            ]}
            separator=": "
            contentStyle={tooltipStyle}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
          {labels.map((label, i) => (
            <Line
              key={label}
              dataKey={`${label}:p95`}
              name={label}
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
