import type { ReactNode } from "react";
import { Form, Link, NavLink } from "react-router";
import type { Permission } from "../../src/auth/permissions";
import { ROLE_LABELS } from "../../src/auth/permissions";
import { SpendAlertBanner } from "../../src/billing/spend-banner";
import type { OrgShell } from "../../src/presenters/orgs.server";

export interface ShellData extends OrgShell {
  user: { name: string; email: string };
  role: keyof typeof ROLE_LABELS;
  can: Record<Permission, boolean>;
}

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
        <Link to="/orgs/new" className="org-switcher__item org-switcher__create">
          <span className="org-avatar org-avatar--small org-avatar--add" aria-hidden="true">
            +
          </span>
          Create organization
        </Link>
      </div>
    </details>
  );
}

/** The dashboard frame: a left navigation with the org switcher, and the page. */
export function AppShell({ shell, children }: { shell: ShellData; children: ReactNode }) {
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
          {shell.can["project.create"] ? (
            <NavLink to={`${base}/projects/new`} end className={navClass}>
              <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
                <path
                  d="M8 3v10M3 8h10"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.3"
                  strokeLinecap="round"
                />
              </svg>
              New project
            </NavLink>
          ) : null}
          <p className="nav__section">Organization</p>
          {shell.can["runner.read"] ? (
            <NavLink to={`${base}/runners`} className={navClass}>
              <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
                <path
                  d="M2.5 4.5h11v7h-11zM5 7l1.5 1.5L5 10M8 10h3"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.3"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
              Runners
            </NavLink>
          ) : null}
          <NavLink to={`${base}/members`} className={navClass}>
            <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
              <path
                d="M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM1.5 13.5c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M11 3a2.2 2.2 0 0 1 0 4.2M12.5 9.8c1.3.5 2 1.8 2 3.7"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.3"
                strokeLinecap="round"
              />
            </svg>
            Members
          </NavLink>
          {shell.can["token.read"] ? (
            <NavLink to={`${base}/tokens`} className={navClass}>
              <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
                <path
                  d="M10 2.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM7.5 8.5l-5 5M4 12l1.5 1.5M5.5 10.5L7 12"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.3"
                  strokeLinecap="round"
                />
              </svg>
              API tokens
            </NavLink>
          ) : null}
          {shell.can["audit.read"] ? (
            <NavLink to={`${base}/audit`} className={navClass}>
              <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
                <path
                  d="M4 1.5h6l3 3v10H4zM10 1.5v3h3M6 8h5M6 10.5h5M6 13h3"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.3"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
              Audit log
            </NavLink>
          ) : null}
          <NavLink to={`${base}/settings`} className={navClass}>
            <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
              <path
                d="M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.3"
                strokeLinecap="round"
              />
            </svg>
            Settings
          </NavLink>
          {shell.can["billing.read"] ? (
            <NavLink to={`${base}/billing`} className={navClass}>
              <svg viewBox="0 0 16 16" aria-hidden="true" className="nav__icon">
                <path
                  d="M2 4h12v8H2zM2 7h12M4.5 10h2"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.3"
                  strokeLinecap="round"
                />
              </svg>
              Billing
            </NavLink>
          ) : null}
        </nav>
        <div className="user-menu">
          <Link to="/account" className="user-menu__who" title="Your account and sessions">
            <span className="user-menu__name">{shell.user.name}</span>
            <span className="user-menu__email">
              {shell.user.email} · {ROLE_LABELS[shell.role]}
            </span>
          </Link>
          <Form method="post" action="/signout">
            <button type="submit" className="button button--secondary button--small">
              Sign out
            </button>
          </Form>
        </div>
      </aside>
      <div className="content">
        <SpendAlertBanner orgSlug={shell.org.slug} />
        {children}
      </div>
    </div>
  );
}
