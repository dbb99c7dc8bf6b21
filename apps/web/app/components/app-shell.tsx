import type { ReactNode } from "react";
import { Link, NavLink } from "react-router";
import type { OrgShell } from "../../src/presenters/orgs.server";

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? "");
  return letters.join("") || "?";
}

function OrgSwitcher({ org, orgs }: Pick<OrgShell, "org" | "orgs">) {
  return (
    <details className="org-switcher">
      <summary className="org-switcher__current" aria-label={`Organization: ${org.name}`}>
        <span className="org-avatar" aria-hidden="true">
          {initials(org.name)}
        </span>
        <span className="org-switcher__name">{org.name}</span>
        <svg className="org-switcher__chevron" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      </summary>
      <div className="org-switcher__menu">
        <p className="org-switcher__heading">Organizations</p>
        <ul>
          {orgs.map((item) => (
            <li key={item.slug}>
              <Link
                to={`/orgs/${item.slug}`}
                className="org-switcher__item"
                aria-current={item.slug === org.slug ? "true" : undefined}
              >
                <span className="org-avatar org-avatar--small" aria-hidden="true">
                  {initials(item.name)}
                </span>
                {item.name}
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

/** The dashboard frame: a left navigation with the org switcher, and the page. */
export function AppShell({ shell, children }: { shell: OrgShell; children: ReactNode }) {
  const base = `/orgs/${shell.org.slug}`;
  const navClass = ({ isActive }: { isActive: boolean }) =>
    isActive ? "nav__link nav__link--active" : "nav__link";
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link to={base} className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Slipway
        </Link>
        <OrgSwitcher org={shell.org} orgs={shell.orgs} />
        <nav className="nav" aria-label="Main">
          <NavLink to={base} end className={navClass}>
            <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
              <path
                d="M2 2h5v5H2zM9 2h5v5H9zM2 9h5v5H2zM9 9h5v5H9z"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.3"
              />
            </svg>
            Overview
          </NavLink>
          <p className="nav__section">Projects</p>
          {shell.projects.length === 0 ? (
            <p className="nav__empty">No projects yet</p>
          ) : (
            shell.projects.map((project) => (
              <NavLink
                key={project.slug}
                to={`${base}/projects/${project.slug}`}
                className={navClass}
              >
                <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
                  <path
                    d="M2.5 5.5L8 2.5l5.5 3v5L8 13.5l-5.5-3z M2.5 5.5L8 8.5l5.5-3 M8 8.5v5"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="1.3"
                    strokeLinejoin="round"
                  />
                </svg>
                {project.name}
              </NavLink>
            ))
          )}
        </nav>
      </aside>
      <div className="content">{children}</div>
    </div>
  );
}
