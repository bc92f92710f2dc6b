#!/usr/bin/env python3
"""A real S3-protocol server for the S3 blob-store tests: moto's server mode with its
signature checking switched on.

moto accepts any signature by default. With INITIAL_NO_AUTH_ACTION_COUNT=N it lets the first
N requests through unchecked and verifies every request after them against the IAM users it
knows (botocore's SigV4 verifier: a wrong secret is 403 SignatureDoesNotMatch). This script
spends those N=3 requests on creating an IAM user, giving it an allow-all policy and an
access key, then creates the bucket *with that key* (the first checked request) and writes

    {"endpoint": "http://127.0.0.1:PORT", "region": "us-east-1", "bucket": BUCKET,
     "accessKeyId": ..., "secretAccessKey": ..., "pid": PID}

to --credentials once the server is ready. It serves until SIGTERM/SIGINT.

--unchecked leaves moto's default (any signature passes) for the one thing the checked mode
cannot serve: moto 5.2.6 answers 500 to a pre-signed URL when checking is on (its verifier
reads an Authorization header that a pre-signed GET does not have), so redirects to
pre-signed URLs are exercised against an unchecked server; the pre-signing itself is proven
by AWS's published example in SigV4SignerTests.

    moto_server.py --port 0 --credentials /tmp/s3.json [--bucket platform-blobs] [--unchecked]
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading

if "--unchecked" not in sys.argv:
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"  # read when moto is imported

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--bucket", default="platform-blobs")
    parser.add_argument("--unchecked", action="store_true")
    args = parser.parse_args()
    port = args.port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    setup = dict(endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id="setup", aws_secret_access_key="setup")
    iam = boto3.client("iam", **setup)
    iam.create_user(UserName="platformd")                                   # unchecked request 1
    iam.put_user_policy(UserName="platformd", PolicyName="all", PolicyDocument=POLICY)  # 2
    key = iam.create_access_key(UserName="platformd")["AccessKey"]         # 3
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                      config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
    s3.create_bucket(Bucket=args.bucket)                                   # checked from here on
    temporary = args.credentials + ".partial"
    with open(temporary, "w") as handle:
        json.dump({"endpoint": endpoint, "region": "us-east-1", "bucket": args.bucket,
                   "accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"],
                   "pid": os.getpid()}, handle)
    os.rename(temporary, args.credentials)
    print(f"moto S3 on {endpoint}, bucket {args.bucket}, signatures {'NOT ' if args.unchecked else ''}checked", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
