import type { ReactNode } from "react";
import { Link } from "react-router";

/** A Previous/Next button of a paged list: a link, or a disabled button where there is no page. */
export function PageLink({ to, children }: { to: string | undefined; children: ReactNode }) {
  return to ? (
    <Link className="button button--secondary" to={to}>
      {children}
    </Link>
  ) : (
    <span className="button button--secondary" aria-disabled="true">
      {children}
    </span>
  );
}
