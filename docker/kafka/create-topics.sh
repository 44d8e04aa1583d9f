#!/bin/sh
# Creates ZakPOS's Kafka topics, idempotently (an existing topic is left as it is). Run by the one-shot
# init service once the broker is healthy; safe to re-run.
#
# One topic per aggregate; producers key every event by tenant id, so a tenant's events stay in order
# within one partition.
set -eu

BOOTSTRAP="${KAFKA_BOOTSTRAP:-kafka:9092}"
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"
PARTITIONS="${KAFKA_TOPIC_PARTITIONS:-6}"

# The aggregates of packages/contracts/src/events.contract.ts (EVENT_TOPICS).
for topic in zakpos.sales zakpos.inventory zakpos.catalog zakpos.cash; do
  echo "create-topics: ${topic} (${PARTITIONS} partitions) on ${BOOTSTRAP}"
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1
done

echo "create-topics: done"
"$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list
