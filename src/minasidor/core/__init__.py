"""Cross-cutting web plumbing of the portal: request ids, and what every request passes through."""
