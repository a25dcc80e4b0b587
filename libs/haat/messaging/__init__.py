"""Messaging between the services, over the thin Kafka transport of haat.kafka: the transactional outbox
and its relay, the deduplicating inbox, consumers with retries and dead letters, and recovery from a
broker that lost what it held (the broker's incarnation)."""
