import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDay } from "../../src/format";
import type { BuildStatusName, DailyBuilds } from "../../src/presenters/org-overview.server";
import { useHydrated } from "../lib/use-hydrated";

// Bottom to top of each stacked bar.
const SERIES: { status: BuildStatusName; label: string; color: string }[] = [
  { status: "SUCCEEDED", label: "Succeeded", color: "#16a34a" },
  { status: "FAILED", label: "Failed", color: "#dc2626" },
  { status: "CANCELED", label: "Canceled", color: "#a1a1aa" },
  { status: "RUNNING", label: "Running", color: "#2563eb" },
  { status: "QUEUED", label: "Queued", color: "#d97706" },
];

const HEIGHT = 260;

// Legend and tooltip list the series in stacking order, not alphabetically.
const seriesOrder = (item: { dataKey?: unknown }) =>
  SERIES.findIndex(({ status }) => status === item.dataKey);

/** Builds per day, stacked by status. Drawn in the browser only (it measures its container). */
export function BuildsChart({ daily }: { daily: DailyBuilds[] }) {
  const hydrated = useHydrated();
  const total = daily.reduce(
    (sum, day) => sum + SERIES.reduce((n, { status }) => n + day[status], 0),
    0,
  );
  if (!hydrated) {
    return <div className="chart-placeholder" style={{ height: HEIGHT }} aria-hidden="true" />;
  }
  return (
    <figure className="chart" aria-label={`Builds per day: ${total} in ${daily.length} days`}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart
          data={daily}
          margin={{ top: 8, right: 8, bottom: 0, left: -12 }}
          barCategoryGap="20%"
        >
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis
            dataKey="date"
            tickFormatter={formatDay}
            tickLine={false}
            axisLine={{ stroke: "#e4e4e7" }}
            tick={{ fontSize: 12, fill: "#71717a" }}
            minTickGap={24}
          />
          <YAxis
            allowDecimals={false}
            tickLine={false}
            axisLine={false}
            tick={{ fontSize: 12, fill: "#71717a" }}
          />
          <Tooltip
            cursor={{ fill: "rgba(24, 24, 27, 0.04)" }}
            labelFormatter={(label) => formatDay(String(label))}
            itemSorter={seriesOrder}
            separator=": "
            contentStyle={{
              borderRadius: 8,
              border: "1px solid #e4e4e7",
              boxShadow: "0 4px 16px rgba(0,0,0,0.08)",
              fontSize: 13,
            }}
          />
          <Legend
            iconType="circle"
            iconSize={8}
            itemSorter={seriesOrder}
            wrapperStyle={{ fontSize: 12, color: "#52525b", paddingTop: 8 }}
          />
          {SERIES.map(({ status, label, color }) => (
            <Bar
              key={status}
              dataKey={status}
              name={label}
              stackId="builds"
              fill={color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
