"""Synthetic people for development, tests and benchmarks: the population model, its seeding, the demo persons.

Never part of a deployment's data: only ``make run``, tests and benchmarks call ``seed_population`` and
``seed_demo`` (docs/decisions/0030, 0031, 0038). It writes into the register and runs the statement run
for the people it creates; neither of those imports anything from here.
"""
