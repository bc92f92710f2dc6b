"""A Standard Webhooks receiver for platformd's webhook tests.

It checks every delivery with the reference library's own `Webhook.verify` (PyPI
`standardwebhooks`, pinned in receiver.sh), so a signature the Swift signer gets wrong is
caught by an implementation that is not ours. Each delivery becomes one JSON line in the
record file: {"id", "timestamp", "verified", "error", "payload"}.

usage: receiver.py PORT SECRET RECORD [STATUS]
  STATUS  the answer to a delivery that verifies (default 204; 410 plays a disabled endpoint).
          One that does not verify is answered 400.
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

PORT, SECRET, RECORD = int(sys.argv[1]), sys.argv[2], sys.argv[3]
STATUS = int(sys.argv[4]) if len(sys.argv) > 4 else 204
WEBHOOK = Webhook(SECRET)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        entry = {"id": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp")}
        try:
            entry["payload"] = WEBHOOK.verify(body, headers)
            entry["verified"], entry["error"], status = True, None, STATUS
        except Exception as error:  # the library raises WebhookVerificationError
            entry["verified"], entry["error"], entry["payload"], status = False, str(error), None, 400
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
