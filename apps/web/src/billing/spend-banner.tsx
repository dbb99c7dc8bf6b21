// The spend-alert banner at the top of every dashboard page of an org. It loads its data after
// the page (from /orgs/:slug/billing/alerts), so the org's pages do not wait for billing.
import { useEffect } from "react";
import { Link, useFetcher } from "react-router";

interface AlertsData {
  alerts: { level: "warning" | "exceeded"; message: string }[];
  blocked: boolean;
  canSeeBilling: boolean;
}

export function SpendAlertBanner({ orgSlug }: { orgSlug: string }) {
  const fetcher = useFetcher<AlertsData>();
  const { load } = fetcher;
  useEffect(() => {
    load(`/orgs/${orgSlug}/billing/alerts`);
  }, [load, orgSlug]);
  const data = fetcher.data;
  if (!data || data.alerts.length === 0) return null;
  const exceeded = data.alerts.some((a) => a.level === "exceeded");
  return (
    <div
      role="status"
      data-testid="spend-alert"
      className="alert"
      style={{
        margin: "0 0 16px",
        background: exceeded ? "#fef2f2" : "#fffbeb",
        border: `1px solid ${exceeded ? "#fecaca" : "#fde68a"}`,
        color: exceeded ? "#991b1b" : "#92400e",
      }}
    >
      <strong>{data.blocked ? "Builds are paused: spend limit reached." : "Usage alert."}</strong>{" "}
      {data.alerts.map((a) => a.message).join(" ")}{" "}
      {data.canSeeBilling ? (
        <Link
          to={`/orgs/${orgSlug}/billing`}
          style={{ color: "inherit", textDecoration: "underline" }}
        >
          Open Billing
        </Link>
      ) : (
        <span>Ask an owner or admin to review Billing.</span>
      )}
    </div>
  );
}
