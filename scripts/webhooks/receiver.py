"""A Standard Webhooks receiver for platformd's webhook tests.

It checks every delivery with the reference library's own `Webhook.verify` (PyPI
`standardwebhooks`, pinned in receiver.sh), so a signature the Swift signer gets wrong is
caught by an implementation that is not ours. Each delivery becomes one JSON line in the
record file: {"id", "timestamp", "verified", "error", "payload", "status", "duplicate",
"arrived_ms"}.

It is idempotent the way the specification asks receivers to be: a verified delivery whose
`webhook-id` it already accepted is answered like the first but marked "duplicate": true
(processed once), also across its own restarts (the accepted ids are re-read from RECORD).
"arrived_ms" is the wall clock in milliseconds when the request arrived, for latency figures.

usage: receiver.py PORT SECRET RECORD [STATUS] [FAIL_FIRST]
  STATUS      the answer to a delivery that verifies (default 204; 410 plays a disabled endpoint).
              One that does not verify is answered 400.
  FAIL_FIRST  answer 503 to the first FAIL_FIRST verified deliveries (a receiver that is down
              for that many attempts); they are recorded with status 503 and not accepted.
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

PORT, SECRET, RECORD = int(sys.argv[1]), sys.argv[2], sys.argv[3]
STATUS = int(sys.argv[4]) if len(sys.argv) > 4 else 204
FAIL_FIRST = int(sys.argv[5]) if len(sys.argv) > 5 else 0
WEBHOOK = Webhook(SECRET)
LOCK = threading.Lock()
FAILED = 0
ACCEPTED = set()
if os.path.exists(RECORD):
    with open(RECORD) as previous:
        for line in previous:
            entry = json.loads(line)
            if entry.get("verified") and entry.get("status", 204) < 300 and not entry.get("duplicate"):
                ACCEPTED.add(entry.get("id"))


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global FAILED
        arrived = round(time.time() * 1000, 3)
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        entry = {"id": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp"), "arrived_ms": arrived}
        try:
            entry["payload"] = WEBHOOK.verify(body, headers)
            entry["verified"], entry["error"], status = True, None, STATUS
        except Exception as error:  # the library raises WebhookVerificationError
            entry["verified"], entry["error"], entry["payload"], status = False, str(error), None, 400
        with LOCK:
            if entry["verified"] and FAILED < FAIL_FIRST:
                FAILED += 1
                status = 503
            entry["duplicate"] = bool(entry["verified"] and status < 300 and entry["id"] in ACCEPTED)
            if entry["verified"] and status < 300:
                ACCEPTED.add(entry["id"])
            entry["status"] = status
            with open(RECORD, "a") as record:
                record.write(json.dumps(entry) + "\n")
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(f"listening on 127.0.0.1:{PORT}", flush=True)
server.serve_forever()
