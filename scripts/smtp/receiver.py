"""A real SMTP receiver (aiosmtpd) for platformd's email tests.

Each message accepted at DATA is saved as DIR/<n>.eml, byte for byte as received (after
aiosmtpd undoes the dot-stuffing), and as DIR/<n>.json: the envelope and what Python's own
`email` module parses from it (header values, decoded body), a parser that is not ours.

usage: receiver.py PORT DIR [RCPT_REPLY]
  RCPT_REPLY  the answer to every RCPT TO, e.g. "550 5.1.1 no such user" (default: accept).
"""

import email
import email.policy
import json
import signal
import sys
import time

from aiosmtpd.controller import Controller

PORT, DIR = int(sys.argv[1]), sys.argv[2]
RCPT_REPLY = sys.argv[3] if len(sys.argv) > 3 else None


class Save:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if RCPT_REPLY:
            return RCPT_REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{DIR}/{time.time_ns()}"
        with open(name + ".eml", "wb") as raw:
            raw.write(envelope.original_content)
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        # Header values as sent (compat32 leaves them unparsed); the body decoded by the
        # email module, its CRLF line ends turned to "\n" (the .eml keeps the CRLFs).
        raw_headers = email.message_from_bytes(envelope.original_content, policy=email.policy.compat32)
        with open(name + ".json", "w") as summary:
            json.dump({
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "headers": {key: str(value) for key, value in raw_headers.items()},
                "body": parsed.get_content().replace("\r\n", "\n"),
            }, summary)
        return "250 OK"


controller = Controller(Save(), hostname="127.0.0.1", port=PORT)
controller.start()
print(f"listening on 127.0.0.1:{PORT}", flush=True)
signal.pause()
