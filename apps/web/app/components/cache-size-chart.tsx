import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDay } from "../../src/format";
import { formatBytes } from "../../src/presenters/units";
import { useHydrated } from "../lib/use-hydrated";

const HEIGHT = 240;

/** Cache size per day against the project's limit (a dashed line). Drawn in the browser only. */
export function CacheSizeChart({
  points,
  limitBytes,
}: {
  points: { day: string; sizeBytes: number; reclaimableBytes: number }[];
  limitBytes: number;
}) {
  const hydrated = useHydrated();
  const latest = points.at(-1);
  const label = latest
    ? `Cache size over ${points.length} days, latest ${formatBytes(latest.sizeBytes)} of a ${formatBytes(limitBytes)} limit`
    : "Cache size: no snapshots yet";
  if (!hydrated) {
    return <div className="chart-placeholder" style={{ height: HEIGHT }} aria-hidden="true" />;
  }
  const peak = Math.max(limitBytes, ...points.map((p) => p.sizeBytes));
  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <AreaChart data={points} margin={{ top: 16, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis
            dataKey="day"
            tickFormatter={formatDay}
            tickLine={false}
            axisLine={{ stroke: "#e4e4e7" }}
            tick={{ fontSize: 12, fill: "#71717a" }}
            minTickGap={24}
          />
          <YAxis
            domain={[0, Math.ceil(peak * 1.1)]}
            tickFormatter={(v: number) => formatBytes(v)}
            tickLine={false}
            axisLine={false}
            width={72}
            tick={{ fontSize: 12, fill: "#71717a" }}
          />
          <Tooltip
            labelFormatter={(day) => formatDay(String(day))}
            formatter={(value, name) => [formatBytes(Number(value)), name]}
            separator=": "
            contentStyle={{
              borderRadius: 8,
              border: "1px solid #e4e4e7",
              boxShadow: "0 4px 16px rgba(0,0,0,0.08)",
              fontSize: 13,
            }}
          />
          <ReferenceLine
            y={limitBytes}
            stroke="#b91c1c"
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{
              value: `Limit ${formatBytes(limitBytes)}`,
              position: "insideTopRight",
              fill: "#b91c1c",
              fontSize: 12,
            }}
          />
          <Area
            type="monotone"
            dataKey="sizeBytes"
            name="Size"
            stroke="#059669"
            fill="#059669"
            fillOpacity={0.12}
            strokeWidth={2}
            isAnimationActive={false}
          />
          <Area
            type="monotone"
            dataKey="reclaimableBytes"
            name="Reclaimable"
            stroke="#a1a1aa"
            fill="#a1a1aa"
            fillOpacity={0.1}
            strokeWidth={1.5}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
