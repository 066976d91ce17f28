"""The shared kernel: small, dependency-free building blocks used by the portal and the back office alike.

Nothing here imports Django or any other package of ours (an import-linter contract keeps it so).
"""
