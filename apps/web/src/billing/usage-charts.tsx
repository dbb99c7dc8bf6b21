// The billing page's charts (recharts, drawn in the browser only: they measure their container).
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
import { useHydrated } from "../../app/lib/use-hydrated";
import { formatDay } from "../format";

const HEIGHT = 220;
const TOOLTIP = {
  borderRadius: 8,
  border: "1px solid #e4e4e7",
  boxShadow: "0 4px 16px rgba(0,0,0,0.08)",
  fontSize: 13,
};
const AXIS = { fontSize: 12, fill: "#71717a" };
const BUILD = "#2563eb";
const RUNNER = "#16a34a";

function Placeholder() {
  return <div className="chart-placeholder" style={{ height: HEIGHT }} aria-hidden="true" />;
}

export function DailyUsageChart({
  daily,
}: {
  daily: { day: string; buildMinutes: number; runnerMinutes: number }[];
}) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder />;
  return (
    <figure className="chart" aria-label={`Minutes per day, ${daily.length} days`}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={daily} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis
            dataKey="day"
            tickFormatter={formatDay}
            tickLine={false}
            tick={AXIS}
            minTickGap={24}
          />
          <YAxis tickLine={false} axisLine={false} tick={AXIS} />
          <Tooltip
            labelFormatter={(l) => formatDay(String(l))}
            contentStyle={TOOLTIP}
            separator=": "
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
          <Bar dataKey="buildMinutes" name="Build minutes" stackId="m" fill={BUILD} />
          <Bar dataKey="runnerMinutes" name="Runner minutes" stackId="m" fill={RUNNER} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function ProjectUsageChart({
  projects,
}: {
  projects: { project: string; buildMinutes: number; runnerMinutes: number }[];
}) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder />;
  return (
    <figure className="chart" aria-label={`Minutes per project, ${projects.length} projects`}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart
          data={projects}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
        >
          <CartesianGrid horizontal={false} stroke="#ececef" />
          <XAxis type="number" tickLine={false} tick={AXIS} />
          <YAxis
            type="category"
            dataKey="project"
            width={110}
            tickLine={false}
            axisLine={false}
            tick={AXIS}
          />
          <Tooltip contentStyle={TOOLTIP} separator=": " />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
          <Bar dataKey="buildMinutes" name="Build minutes" stackId="m" fill={BUILD} />
          <Bar dataKey="runnerMinutes" name="Runner minutes" stackId="m" fill={RUNNER} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function RunnerTypeChart({ types }: { types: { runnerType: string; minutes: number }[] }) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder />;
  return (
    <figure className="chart" aria-label={`Runner minutes per runner type, ${types.length} types`}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={types} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#ececef" />
          <XAxis dataKey="runnerType" tickLine={false} tick={AXIS} />
          <YAxis tickLine={false} axisLine={false} tick={AXIS} />
          <Tooltip contentStyle={TOOLTIP} separator=": " />
          <Bar dataKey="minutes" name="Runner minutes" fill={RUNNER} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
