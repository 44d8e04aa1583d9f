#!/bin/sh
# TEST-ONLY stand-in for Kafka's bin/kafka-run-class.sh: runs a main class from /opt/kafka/libs.
exec java ${KAFKA_HEAP_OPTS:--Xmx256M} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${KAFKA_LOG_LEVEL:-info}" -cp '/opt/kafka/libs/*' "$@"
