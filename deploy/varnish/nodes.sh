#!/bin/sh
# Prints the web nodes for default.vcl (its `include "nodes.vcl"`): one backend per HOST:PORT
# argument, each watched by the `healthz` probe, and the round-robin director `nodes` that
# skips those the probe marks sick. start.sh runs it in docker compose; the tests run it too.
set -eu
if [ "$#" -eq 0 ]; then
  echo "usage : $0 HÔTE:PORT [HÔTE:PORT…]" >&2
  exit 2
fi
n=0
for address in "$@"; do
  n=$((n + 1))
  cat <<VCL
backend web$n {
    .host = "${address%:*}";
    .port = "${address##*:}";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}
VCL
done
echo "sub vcl_init {"
echo "    new nodes = directors.round_robin();"
i=1
while [ "$i" -le "$n" ]; do
  echo "    nodes.add_backend(web$i);"
  i=$((i + 1))
done
echo "}"
