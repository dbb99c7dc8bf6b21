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
import { formatDay, pluralize } from "../../src/format";
import { byteTicks, formatBytes } from "../../src/presenters/units";
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
    ? `Cache size over ${pluralize(points.length, "day")}, latest ${formatBytes(latest.sizeBytes)} of a ${formatBytes(limitBytes)} limit`
    : "Cache size: no snapshots yet";
  if (!hydrated) {
    return <div className="chart-placeholder" style={{ height: HEIGHT }} aria-hidden="true" />;
  }
  const largest = Math.max(0, ...points.map((p) => p.sizeBytes));
  // A cache far below its limit (a new project: KiB against a 50 GiB limit) drawn on the limit's
  // scale is a flat line at zero: then the axis follows the data, and the limit is named instead.
  const showLimit = largest >= limitBytes * 0.01;
  const ticks = byteTicks((showLimit ? Math.max(limitBytes, largest) : largest) * 1.1);
  const axisLabel = (v: number) => formatBytes(v).replace(/\.0+ /, " ");
  return (
    <figure className="chart" aria-label={label}>
      {showLimit ? null : (
        <figcaption className="muted" data-testid="limit-off-scale">
          Under 1% of the {formatBytes(limitBytes)} limit: the scale follows the cache's size.
        </figcaption>
      )}
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
            domain={[0, ticks.at(-1) ?? 1]}
            ticks={ticks}
            tickFormatter={axisLabel}
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
          {showLimit ? (
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
          ) : null}
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
