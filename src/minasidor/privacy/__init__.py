"""The citizen's pages about their own data: who has read or changed it, and why (their access log)."""
