#!/bin/sh
# Varnish in docker compose, in front of every replica of the "web" service
# (`docker compose up --scale web=3`). The nodes are the addresses the service's name resolves
# to; they are read again every WEB_NODES_REFRESH seconds and a change loads a new VCL in the
# running Varnish, so nodes added or removed later are picked up without dropping its cache.
# The arguments are varnishd's (listeners, storage).
set -eu
service="${WEB_SERVICE:-web}"
port="${WEB_PORT:-8000}"
here="$(dirname "$0")"
nodes_dir="${TMPDIR:-/tmp}/varnish-nodes"
mkdir -p "$nodes_dir"

addresses() {
  getent ahostsv4 "$service" | awk '{ print $1 }' | sort -u | sed "s/\$/:$port/"
}

until current="$(addresses)" && [ -n "$current" ]; do
  echo "Varnish : en attente des nœuds « $service »…" >&2
  sleep 1
done
# shellcheck disable=SC2086  # One argument per address.
sh "$here/nodes.sh" $current >"$nodes_dir/nodes.vcl"
varnishd -F -f "$here/default.vcl" -p vcl_path="$here:$nodes_dir" "$@" &
varnish=$!
trap 'kill -TERM "$varnish" 2>/dev/null; wait "$varnish"; exit 0' TERM INT
previous=""

while kill -0 "$varnish" 2>/dev/null; do
  sleep "${WEB_NODES_REFRESH:-10}" &
  wait $! || true
  latest="$(addresses || true)"
  if [ -n "$latest" ] && [ "$latest" != "$current" ]; then
    # shellcheck disable=SC2086
    sh "$here/nodes.sh" $latest >"$nodes_dir/nodes.vcl"
    name="nodes_$(date +%s)"
    if varnishadm vcl.load "$name" "$here/default.vcl" >/dev/null \
      && varnishadm vcl.use "$name" >/dev/null; then
      echo "Varnish : nœuds $(echo $latest | tr '\n' ' ')" >&2
      current="$latest"
      # The configuration before (never the boot one, which the first reload leaves in place).
      [ -n "$previous" ] && varnishadm vcl.discard "$previous" >/dev/null 2>&1 || true
      previous="$name"
    fi
  fi
done
wait "$varnish"
