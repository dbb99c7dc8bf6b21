import { NavLink } from "react-router";
import "../routes/project-pages.css";

/** Builds · Cache · Settings of one project. */
export function ProjectTabs({ orgSlug, projectSlug }: { orgSlug: string; projectSlug: string }) {
  const base = `/orgs/${orgSlug}/projects/${projectSlug}`;
  const tabs = [
    { to: base, label: "Builds", end: true },
    { to: `${base}/cache`, label: "Cache", end: false },
    { to: `${base}/settings`, label: "Settings", end: false },
  ];
  return (
    <nav className="tabs" aria-label="Project">
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end} className="tabs__link">
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
