#!/usr/bin/env bash
# The misbehaving client of the db-overload lab: the stats API serving a partner's weekly
# financial report. Every second it sends the report query with a short client-side timeout;
# when the timeout fires, it drops the connection and tries again, without cancelling the
# query, which keeps running on the server. Runaway queries pile up until the role is blocked.
#
# Usage: report-client.sh URL PSQL REPORT_SQL_FILE
# Environment: LAB_CLIENT_TIMEOUT (seconds, default 2), LAB_RETRY_INTERVAL (seconds,
# default 1), LAB_CLIENT_MINUTES (then it gives up, default 60).
set -uo pipefail

url=$1 psql=$2 report=$3
client_timeout=${LAB_CLIENT_TIMEOUT:-2}
interval=${LAB_RETRY_INTERVAL:-1}
minutes=${LAB_CLIENT_MINUTES:-60}

attempt=0
deadline=$((SECONDS + minutes * 60))
while [ "$SECONDS" -lt "$deadline" ]; do
  attempt=$((attempt + 1))
  (
    # `timeout` ends psql with SIGTERM: psql sends no cancel request (only Ctrl-C does), so
    # the server goes on running the query for a client that is gone.
    if out=$(timeout "$client_timeout" "$psql" -X -q -v ON_ERROR_STOP=1 "$url" \
      -c 'set statement_timeout = 0' -f "$report" 2>&1 >/dev/null); then
      printf '%s attempt %d: report done\n' "$(date +%T)" "$attempt"
    elif [ -z "$out" ]; then
      printf '%s attempt %d: no answer after %ss, retrying (the query keeps running)\n' \
        "$(date +%T)" "$attempt" "$client_timeout"
    else
      printf '%s attempt %d: %s\n' "$(date +%T)" "$attempt" "${out//$'\n'/ }"
    fi
  ) &
  sleep "$interval"
done
printf '%s giving up after %d minutes\n' "$(date +%T)" "$minutes"
