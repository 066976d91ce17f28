"""The citizen's page about their personal code: order a new one by post (decision 0140)."""
