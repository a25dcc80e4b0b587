"""kafka-python producer, consumer runner and topic administration, set up as shared/kafka-notes.md says."""
