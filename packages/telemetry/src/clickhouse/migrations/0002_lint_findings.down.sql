DROP TABLE IF EXISTS lint_findings_v1;
