#!/bin/sh
# TEST-ONLY stand-in for Kafka's bin/kafka-server-start.sh.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.Kafka "$@"
