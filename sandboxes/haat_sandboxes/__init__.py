"""Sandbox marketplaces: small servers that answer like the real seller APIs, as far as a connector can see.

They are the connectors' test peers (started by `make run` and by the tests) and share nothing with the
connectors' code: only HTTP. Each keeps its state in memory, enforces its API's published rate limits,
validates requests against the real schemas, generates orders and injects faults on demand through
`/_sandbox/...` control paths.
"""
