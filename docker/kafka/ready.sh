#!/bin/bash
# The kafka service's health check: the broker answers a Kafka ApiVersions request (API key 18, version 0) on its
# internal listener with error code 0, which it does once it serves requests. Sent with bash's /dev/tcp rather
# than kafka-broker-api-versions.sh, which starts a JVM (about a second of CPU) on every probe. Port: $1 (9092).
set -eu
exec 3<>"/dev/tcp/127.0.0.1/${1:-9092}"
# size 12 | api key 18 | version 0 | correlation id 1 | client id "hc"
printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc' >&3
reply=$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')
# size (4 bytes) | correlation id 1 | error code 0
[ "${reply:8:12}" = 000000010000 ]
