"""The whole system under load while faults are injected, and the checks that nothing was lost or doubled.

`tests/resilience` runs it for a couple of minutes in `make test`; `make soak` (python -m
haat_testkit.resilience) runs it for ten. Both print what they tried and what they found.
"""
