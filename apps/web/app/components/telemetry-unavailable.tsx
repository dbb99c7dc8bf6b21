/**
 * Shown instead of a chart, table or trace when ingest (telemetry) cannot answer: the rest of the
 * page still works, and the reason is named so an operator knows where to look.
 */
export function TelemetryUnavailable({ what, reason }: { what: string; reason: string }) {
  return (
    <div className="unavailable" role="status" data-testid="insights-unavailable">
      <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
        <path
          d="M8 1.5l6.5 12h-13zM8 6v3.5M8 11.5v.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.4"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <div>
        <strong>{what} unavailable</strong>
        <span>
          This comes from the ingest service, which did not answer: <code>{reason}</code>. The rest
          of the page works; reload once ingest is back.
        </span>
      </div>
    </div>
  );
}
