#!/bin/sh
# TEST-ONLY stand-in for Kafka's bin/kafka-storage.sh.
KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-warn}"; export KAFKA_LOG_LEVEL
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
