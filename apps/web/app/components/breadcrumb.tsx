import { Fragment } from "react";
import { Link } from "react-router";

export interface Crumb {
  label: string;
  /** Absent for the current page (the last crumb). */
  to?: string;
}

/** The trail above a page title: org / project / section, each but the last a link. */
export function Breadcrumb({ trail }: { trail: Crumb[] }) {
  return (
    <p className="breadcrumb">
      {trail.map((crumb, i) => (
        <Fragment key={crumb.to ?? crumb.label}>
          {i > 0 ? <span aria-hidden="true"> / </span> : null}
          {crumb.to ? <Link to={crumb.to}>{crumb.label}</Link> : crumb.label}
        </Fragment>
      ))}
    </p>
  );
}
