"""Background work: each system's task queue (Django's tasks framework, database backend), the workers that
run it, and the scheduler of periodic jobs (docs/decisions/0110, 0111)."""
