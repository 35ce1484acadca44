"""Running a proposal: settling it (friction, re-guard, sandbox) and the audit log."""
