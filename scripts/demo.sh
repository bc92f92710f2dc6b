#!/usr/bin/env bash
# The main job: installs what is missing, builds platformd and appctl, starts platformd on
# the embedded default (SQLite + blobs in ./platformd-data, https://127.0.0.1:8080 with a
# local CA made here), shows it answering, and keeps it running in the foreground until
# Ctrl-C (SIGINT: graceful stop). PLATFORMD_DEMO_TLS=off serves plain HTTP instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

LISTEN="${PLATFORMD_LISTEN:-127.0.0.1:8080}"
DATA_DIR="${PLATFORMD_DATA_DIR:-$PWD/platformd-data}"
TLS_DIR="$DATA_DIR/tls"
# Clients use the name on the certificate: appctl's tunnels and terminals (WebSockets) cannot
# verify a TLS server by IP address (see TunnelClient.requireWebSocketHost).
case "${LISTEN%:*}" in 127.0.0.1|0.0.0.0) TLS_HOST="localhost:${LISTEN##*:}" ;; *) TLS_HOST="$LISTEN" ;; esac
if [ "${PLATFORMD_DEMO_TLS:-on}" = off ]; then SERVER="http://$LISTEN"; else SERVER="https://$TLS_HOST"; fi

bash scripts/install-deps.sh

# A local CA and a server certificate it signs, made once (and again when the server
# certificate is within a day of expiring): platformd serves HTTPS with them, and every client
# here trusts the CA instead of skipping verification (appctl: APPCTL_CA_FILE; curl: --cacert;
# skopeo: --cert-dir "$TLS_DIR/trust", which holds only ca.crt; podman: copy ca.crt to
# /etc/containers/certs.d/HOST:PORT/; browsers: import ca.crt).
make_demo_tls() {
  local host="${LISTEN%:*}" san
  mkdir -p "$TLS_DIR" && chmod 700 "$TLS_DIR"
  if [ ! -f "$TLS_DIR/ca.crt" ] || ! openssl x509 -checkend 86400 -noout -in "$TLS_DIR/ca.crt" >/dev/null; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=platformd demo CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" 2>/dev/null
    rm -f "$TLS_DIR/server.crt"
  fi
  if [ -f "$TLS_DIR/server.crt" ] && openssl x509 -checkend 86400 -noout -in "$TLS_DIR/server.crt" >/dev/null; then
    mkdir -p "$TLS_DIR/trust" && cp "$TLS_DIR/ca.crt" "$TLS_DIR/trust/ca.crt"
    return
  fi
  san="IP:127.0.0.1,DNS:localhost"
  case "$host" in
    0.0.0.0|127.0.0.1|localhost|"") ;;
    *[!0-9.]*) san="$san,DNS:$host" ;;
    *) san="$san,IP:$host" ;;
  esac
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=platformd demo" \
    -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$san" > "$TLS_DIR/server.ext"
  openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
    -days 397 -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.crt" 2>/dev/null
  chmod 600 "$TLS_DIR"/*.key
  mkdir -p "$TLS_DIR/trust" && cp "$TLS_DIR/ca.crt" "$TLS_DIR/trust/ca.crt"
}
TLS_ARGS=()
if [ "${SERVER%%:*}" = https ]; then
  echo "==> a local CA and server certificate in $TLS_DIR (openssl)"
  make_demo_tls
  TLS_ARGS=(--tls-cert "$TLS_DIR/server.crt" --tls-key "$TLS_DIR/server.key")
  export APPCTL_CA_FILE="$TLS_DIR/ca.crt"
  curl() { command curl --cacert "$TLS_DIR/ca.crt" "$@"; }
fi

echo "==> swift build (platformd, appctl)"
swift build --product platformd
swift build --product appctl
BIN="$(swift build --show-bin-path)"

echo "==> starting platformd serve --data-dir $DATA_DIR --listen $LISTEN ${TLS_ARGS[*]}"
"$BIN/platformd" serve --data-dir "$DATA_DIR" --listen "$LISTEN" "${TLS_ARGS[@]}" &
PID=$!
trap 'kill -INT $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' INT TERM

for _ in $(seq 1 100); do
  curl -fsS "$SERVER/livez" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { echo "platformd exited early" >&2; exit 1; }
  sleep 0.1
done

echo
echo "==> appctl context add local --server $SERVER"
"$BIN/appctl" context add local --server "$SERVER" --use
echo "==> appctl status"
"$BIN/appctl" status
if [ -f "$DATA_DIR/bootstrap-admin.key" ]; then
  echo "==> appctl login --key-file $DATA_DIR/bootstrap-admin.key   (written once, on first start)"
  "$BIN/appctl" login --key-file "$DATA_DIR/bootstrap-admin.key"
  echo "==> appctl whoami"
  "$BIN/appctl" whoami
fi
echo "==> curl $SERVER/readyz"
curl -sS "$SERVER/readyz"; echo

# The reference app end to end: publish examples/gpu-echo (build, push, sign, evidence,
# promote to staging) and launch it on the local adapter (runc). This host has no GPUs
# unless nvidia-smi finds some, so the demo asks for none.
demo_app() {
  local ctl="$BIN/appctl" tenant project
  tenant=$("$ctl" tenant list -o json | python3 -c 'import json,sys; print(next((t["id"] for t in json.load(sys.stdin) if t["name"]=="demo"), ""))')
  [ -n "$tenant" ] || tenant=$("$ctl" tenant create demo -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  project=$("$ctl" project list --tenant "$tenant" -o json | python3 -c 'import json,sys; print(next((p["id"] for p in json.load(sys.stdin) if p["name"]=="apps"), ""))')
  [ -n "$project" ] || project=$("$ctl" project create apps --tenant "$tenant" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "==> examples/gpu-echo/publish.sh --project $project --to staging"
  APPCTL="$ctl" bash examples/gpu-echo/publish.sh --project "$project" --to staging --key "$DATA_DIR/demo-signing.pem" >/dev/null
  echo "==> appctl launch gpu-echo --project $project --environment staging --gpus 0 --wait"
  "$ctl" launch gpu-echo --project "$project" --environment staging --gpus 0 --wait
  local url
  url=$("$ctl" instance list --project "$project" -o json | python3 -c 'import json,sys; r=[i for i in json.load(sys.stdin) if i["phase"]=="ready"]; print(next((e["url"] for e in r[0]["endpoints"] if e["name"] == "http"), "") if r else "")')
  if [ -n "$url" ]; then
    echo "==> curl $url/cgi-bin/gpus"
    curl -sS "$url/cgi-bin/gpus"; echo
  fi
  echo "==> appctl instance list --project $project"
  "$ctl" instance list --project "$project"
  # The launch decided with a policy snapshot; the promotion and the ready instance each wrote a
  # notification through the outbox (in the same transaction as the change), now in the feed.
  echo "==> appctl policy explain quota.concurrent_instances --project $project"
  "$ctl" policy explain quota.concurrent_instances --project "$project"
  echo "==> appctl flag list --project $project"
  "$ctl" flag list --project "$project"
  sleep 2
  echo "==> appctl notifications list --project $project"
  "$ctl" notifications list --project "$project"
  DEMO_PROJECT=$project
  DEMO_INSTANCE=$("$ctl" instance list --project "$project" -o json | python3 -c 'import json,sys; r=[i for i in json.load(sys.stdin) if i["phase"]=="ready"]; print(r[0]["id"] if r else "")')
  if [ -n "$DEMO_INSTANCE" ]; then
    # Connect through the platform: a one-time URL sets the session cookie, then the app
    # answers under /i/INSTANCE/open/ through platformd's proxy.
    local launch jar
    echo "==> appctl connect $DEMO_INSTANCE --project $project --print-url"
    launch=$("$ctl" connect "$DEMO_INSTANCE" --project "$project" --print-url)
    echo "$launch"
    jar=$(mktemp)
    curl -sS -o /dev/null -c "$jar" "$launch"
    echo "==> curl (with the session cookie) $SERVER/i/$DEMO_INSTANCE/open/cgi-bin/gpus"
    curl -sS -b "$jar" "$SERVER/i/$DEMO_INSTANCE/open/cgi-bin/gpus"; echo
    rm -f "$jar"
    echo "==> appctl session list --project $project --instance $DEMO_INSTANCE"
    "$ctl" session list --project "$project" --instance "$DEMO_INSTANCE"
  fi
  # Money: the running instance's usage is rated within about a second into the ledger; the
  # summary shows it per app with what it was rated at, the balance reads the rollup (stamped
  # with its as-of time) and the month's statement has a line per project, unit and app.
  sleep 2
  echo "==> appctl usage summary --project $project --group-by app"
  "$ctl" usage summary --project "$project" --group-by app
  echo "==> appctl billing balance --tenant $tenant"
  "$ctl" billing balance --tenant "$tenant"
  echo "==> appctl billing statement --tenant $tenant --period $(date -u +%Y-%m)"
  "$ctl" billing statement --tenant "$tenant" --period "$(date -u +%Y-%m)"
  # Production is reached only through a release: a candidate names the image by digest and the
  # commit it was built from, and its six gates list what the evidence bundle still misses.
  local digest sha release
  digest=$("$ctl" artifact list --project "$project" -o json | python3 -c 'import json,sys; print(next((a["digest"] for a in json.load(sys.stdin) if a["repository"].endswith("/gpu-echo")), ""))')
  sha=$(git rev-parse HEAD 2>/dev/null || true)
  if [ -n "$digest" ] && [ -n "$sha" ]; then
    echo "==> appctl release create --project $project --environment production --artifact $digest --source-sha $sha --branch main"
    release=$("$ctl" release create --project "$project" --environment production --artifact "$digest" --source-sha "$sha" \
      --branch main -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    echo "==> appctl release gates $release --project $project"
    "$ctl" release gates "$release" --project "$project" || true
  fi
  # The customer-safe status page: components and incidents, no internals (the operator view is appctl status).
  echo "==> curl $SERVER/status"
  curl -sS "$SERVER/status"; echo
  # The web console: the same key signs in for a session cookie; pages call the API as that key.
  local jar="$DATA_DIR/console.cookies" csrf
  echo "==> the web console: sign in at $SERVER/console/sign-in with the admin key, then GET /console/instances"
  csrf=$(curl -sS -c "$jar" "$SERVER/console/sign-in" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
  curl -sS -b "$jar" -c "$jar" -o /dev/null -w "POST /console/sign-in -> %{http_code} %{redirect_url}\n" \
    --data-urlencode "csrf=$csrf" --data-urlencode "key@$DATA_DIR/bootstrap-admin.key" "$SERVER/console/sign-in"
  curl -sS -b "$jar" "$SERVER/console/instances" | grep -o '<h1>[^<]*</h1>\|data-instance="[^"]*"' | sort -u || true
}
DEMO_INSTANCE=""
DEMO_PROJECT=""
if [ -f "$DATA_DIR/bootstrap-admin.key" ] && command -v runc >/dev/null 2>&1; then
  demo_app || echo "(the reference-app demo did not finish; platformd keeps running)" >&2
fi
cat <<NEXT

platformd is running (pid $PID, data in $DATA_DIR). Open $SERVER/console/ in a browser and sign in
with the key in $DATA_DIR/bootstrap-admin.key. With HTTPS on, trust the demo CA first: import
$TLS_DIR/ca.crt into the browser, and in another shell
  export APPCTL_CA_FILE=$TLS_DIR/ca.crt        # appctl
  skopeo inspect --cert-dir $TLS_DIR/trust --creds admin:\$(cat $DATA_DIR/bootstrap-admin.key) docker://$LISTEN/PROJECT/APP:TAG
  curl --cacert $TLS_DIR/ca.crt $SERVER/livez
Next steps, in another shell:
  $BIN/appctl status --output json
  $BIN/appctl tenant create acme
  $BIN/appctl project create vision --tenant acme
  $BIN/appctl instance list --project ${DEMO_PROJECT:-PROJECT}
  $BIN/appctl connect ${DEMO_INSTANCE:-ID} --project ${DEMO_PROJECT:-PROJECT} --open          # the app in a browser
  $BIN/appctl connect ${DEMO_INSTANCE:-ID} echo --project ${DEMO_PROJECT:-PROJECT} --local-port 7000   # TCP echo on 127.0.0.1:7000
  $BIN/appctl connect ${DEMO_INSTANCE:-ID} --ssh --project ${DEMO_PROJECT:-PROJECT}             # then the ssh command it prints
  $BIN/appctl instance logs ID --project ${DEMO_PROJECT:-PROJECT} -f
  $BIN/appctl instance stop ID --project ${DEMO_PROJECT:-PROJECT} --wait
  $BIN/appctl node list
  $BIN/appctl audit list
  $BIN/appctl audit verify
  $BIN/appctl policy show --project ${DEMO_PROJECT:-PROJECT}
  $BIN/appctl notifications watch
  $BIN/appctl usage summary --project ${DEMO_PROJECT:-PROJECT} --group-by day
  $BIN/appctl billing statement --tenant demo --period $(date -u +%Y-%m) --output csv
  $BIN/appctl ledger verify
  $BIN/appctl release list --project ${DEMO_PROJECT:-PROJECT}
  $BIN/appctl incident open --title "Slow launches" --impact minor --component adapter:local --message "Investigating"
  $BIN/appctl status --public
  curl -s "$SERVER/status?format=html"
  curl -s $SERVER/version
  curl -s $SERVER/metrics | grep http_requests_total
The developer portal (onboarding track, how-tos, reference, matrix) is served at $SERVER/portal/;
its track runs against this server with PLATFORM_SERVER=$SERVER PLATFORM_ADMIN_KEY=$DATA_DIR/bootstrap-admin.key.
Press Ctrl-C here to stop it gracefully; run this script again and the data is still there.
NEXT
wait $PID
