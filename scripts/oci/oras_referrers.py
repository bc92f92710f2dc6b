#!/usr/bin/env python3
"""Push an OCI 1.1 artifact with a `subject` using oras-py, then read the referrers API.

    oras_referrers.py --registry 127.0.0.1:PORT --repo ns/app \
        --subject-digest sha256:... --subject-size N \
        [--subject-media-type application/vnd.oci.image.manifest.v1+json] \
        [--username U --password P] [--auth-backend token|basic] \
        [--tag TAG] [--skip-referrers] [--pull-from REPO] [--check]

Steps (plain HTTP, oras.provider.Registry(insecure=True)):
  1. upload_blob() the empty config `{}` (application/vnd.oci.empty.v1+json, size 2),
  2. upload_blob() a small layer (the "SBOM"),
  3. upload_manifest() an image manifest with artifactType
     application/vnd.example.sbom.v1+json and `subject` = the given descriptor,
     by digest (or by --tag),
  4. GET /v2/<repo>/referrers/<subject> without and with ?artifactType=,
  5. with --pull-from REPO: oras pull() of the pushed artifact by digest from REPO (another
     name of the same repository, e.g. `<tenant>/<project>/<name>` vs `<project-id>/<name>`)
     and a byte comparison of the pulled sbom.json (exit 3 on a mismatch).
Prints one JSON object on stdout:
  {pushed_digest, oci_subject_header, referrers_all, referrers_filtered,
   filters_applied_header}
Any HTTP failure ends the script with exit status 1 and a message on stderr naming the
request, the status and the registry's error body. --check additionally verifies the
referrers answers (exit 3 on a mismatch).

Auth: with --username/--password, the default `token` backend answers a 401
`WWW-Authenticate: Bearer realm=...,service=...[,scope=...]` by a GET on the realm with
`?service=...&scope=...` (scope only if the challenge carried one) and HTTP Basic
credentials, takes `token` (or `access_token`) from the JSON answer and retries with
`Authorization: Bearer`; the token is then sent up front on every later request.
`--auth-backend basic` answers every 401 with HTTP Basic on the retried request instead.
Caveat (oras-py 0.2.43): once it holds a token it answers a later 401 by retrying with the
same token, and asks for a new one only on a 403; so a registry that scopes tokens per action
fails the first push after a pull-scoped HEAD. --prefetch-push-token works around it.
oras-py's own retry decorator (5 tries, sleeps of 3..83 s on any exception) is bypassed
so that failures surface at once.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
import urllib.parse

try:
    import oras.auth
    import oras.provider
except ImportError:  # pragma: no cover
    sys.exit("error: the `oras` package is missing: python3 -m pip install oras")

EMPTY_CONFIG = b"{}"
EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json"
EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
ARTIFACT_TYPE = "application/vnd.example.sbom.v1+json"
MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"


class HTTPFailure(Exception):
    pass


class Registry(oras.provider.Registry):
    """oras Registry without the retry-with-sleeps wrapper around do_request."""

    def do_request(self, url, method="GET", *args, **kwargs):
        undecorated = oras.provider.Registry.do_request.__wrapped__
        try:
            return undecorated(self, url, method, *args, **kwargs)
        except ValueError as exc:  # "Cannot respond to request for authentication."
            raise HTTPFailure(f"{method} {url}: {exc} (is the 401 missing WWW-Authenticate, "
                              f"or did the token request fail?)") from exc
        except oras.provider.requests.exceptions.RequestException as exc:
            raise HTTPFailure(f"{method} {url}: {exc}") from exc


def describe(response):
    body = response.text if response.content is not None else ""
    if len(body) > 2000:
        body = body[:2000] + "..."
    req = response.request
    return f"{req.method} {req.url} -> HTTP {response.status_code} {response.reason}: {body.strip()}"


def expect(response, ok, what):
    if response.status_code not in ok:
        raise HTTPFailure(f"{what} failed: {describe(response)}")
    return response


def sha256_digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_blob(registry, container, tmpdir, name, data, media_type):
    path = os.path.join(tmpdir, name)
    with open(path, "wb") as f:
        f.write(data)
    layer = {"mediaType": media_type, "digest": sha256_digest(data), "size": len(data)}
    # upload_blob: HEAD the blob, and if missing POST /blobs/uploads/ + PUT ?digest=
    try:
        resp = registry.upload_blob(path, container, layer)
    except ValueError as exc:  # oras: "Issue retrieving session url" (POST gave no Location)
        raise HTTPFailure(f"blob upload of {name} ({layer['digest']}) failed: {exc}") from exc
    expect(resp, (200, 201, 202), f"blob upload of {name} ({layer['digest']})")
    return layer


def get_referrers(registry, base, repo, subject, artifact_type=None):
    url = f"{base}/v2/{repo}/referrers/{subject}"
    if artifact_type:
        # Percent-encode: a literal `+` (as in `...v1+json`) reads as a space to form decoders.
        url += "?artifactType=" + urllib.parse.quote(artifact_type, safe="")
    resp = registry.do_request(url, "GET", headers={"Accept": INDEX_MEDIA_TYPE})
    expect(resp, (200,), "referrers GET" + (" (filtered)" if artifact_type else ""))
    try:
        index = resp.json()
    except ValueError:
        raise HTTPFailure(f"referrers GET returned a non-JSON body: {describe(resp)}")
    return index, resp.headers


def prefetch_token(registry, base, repo):
    """GET /v2/, and on a Bearer challenge ask the realm for a pull,push token for repo."""
    resp = registry.session.get(f"{base}/v2/")
    challenge = resp.headers.get("WWW-Authenticate", "")
    if resp.status_code != 401 or not challenge.lower().startswith("bearer"):
        return
    h = oras.auth.utils.parse_auth_header(challenge)
    h.scope = f"repository:{repo}:pull,push"
    token = registry.auth.request_token(h)
    if not token:
        raise HTTPFailure(f"token request to {h.realm} (scope {h.scope}) failed")
    registry.auth.token = token


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--registry", required=True, help="HOST:PORT (plain http)")
    ap.add_argument("--repo", required=True, help="repository, e.g. ns/app")
    ap.add_argument("--subject-digest", required=True)
    ap.add_argument("--subject-size", required=True, type=int)
    ap.add_argument("--subject-media-type", default=MANIFEST_MEDIA_TYPE)
    ap.add_argument("--username")
    ap.add_argument("--password")
    ap.add_argument("--auth-backend", choices=("token", "basic"), default="token")
    ap.add_argument("--artifact-type", default=ARTIFACT_TYPE)
    ap.add_argument("--tag", help="push the artifact manifest under this tag instead of by digest")
    ap.add_argument("--skip-referrers", action="store_true",
                    help="only push (for registries without the referrers API)")
    ap.add_argument("--prefetch-push-token", action="store_true",
                    help="get a repository:REPO:pull,push token up front (works around oras-py "
                         "reusing a pull-only token after a 401; see the docstring)")
    ap.add_argument("--pull-from", metavar="REPO",
                    help="after pushing, oras-pull the artifact by digest from REPO and compare its layer")
    ap.add_argument("--check", action="store_true",
                    help="verify the referrers answers (exit 3 on a mismatch)")
    args = ap.parse_args()

    registry = Registry(hostname=args.registry, insecure=True, auth_backend=args.auth_backend)
    if args.username is not None or args.password is not None:
        if args.password is None:
            ap.error("--password is required with --username")
        registry.auth.set_basic_auth(args.username or "user", args.password)
    base = f"http://{args.registry}"
    if args.prefetch_push_token and args.auth_backend == "token" and args.password is not None:
        prefetch_token(registry, base, args.repo)

    layer_data = json.dumps({"sbom": "example", "subject": args.subject_digest},
                            sort_keys=True).encode()
    with tempfile.TemporaryDirectory(prefix="oras-referrers.") as tmpdir:
        container = registry.get_container(f"{args.registry}/{args.repo}:unused")
        config = push_blob(registry, container, tmpdir, "config.json", EMPTY_CONFIG,
                           EMPTY_MEDIA_TYPE)
        assert config["digest"] == EMPTY_DIGEST and config["size"] == 2
        layer = push_blob(registry, container, tmpdir, "sbom.json", layer_data, args.artifact_type)
        layer["annotations"] = {"org.opencontainers.image.title": "sbom.json"}

        manifest = {
            "schemaVersion": 2,
            "mediaType": MANIFEST_MEDIA_TYPE,
            "artifactType": args.artifact_type,
            "config": config,
            "layers": [layer],
            "subject": {
                "mediaType": args.subject_media_type,
                "digest": args.subject_digest,
                "size": args.subject_size,
            },
            "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"},
        }
        # upload_manifest sends requests' `json=` body: json.dumps(manifest) as UTF-8.
        body = json.dumps(manifest, allow_nan=False).encode("utf-8")
        digest = sha256_digest(body)
        ref = args.tag or digest
        target = registry.get_container(f"{args.registry}/{args.repo}" +
                                        (f":{ref}" if args.tag else f"@{ref}"))
        resp = registry.upload_manifest(manifest, target)
        expect(resp, (201,), f"manifest PUT ({ref})")
        returned = resp.headers.get("Docker-Content-Digest")
        if returned and returned != digest:
            raise HTTPFailure(f"manifest PUT returned Docker-Content-Digest {returned}, "
                              f"expected {digest}")
        subject_header = resp.headers.get("OCI-Subject")
        pulled_same = None
        if args.pull_from:
            outdir = os.path.join(tmpdir, "pulled")
            files = registry.pull(target=f"{args.registry}/{args.pull_from}@{digest}", outdir=outdir)
            pulled = [open(f, "rb").read() for f in files if os.path.basename(f) == "sbom.json"]
            pulled_same = pulled == [layer_data]

    result = {
        "pushed_digest": digest,
        "pushed_size": len(body),
        "oci_subject_header": subject_header,
        "referrers_all": None,
        "referrers_filtered": None,
        "filters_applied_header": None,
        "pulled_from": args.pull_from,
        "pulled_same_bytes": pulled_same,
    }
    if not args.skip_referrers:
        all_index, _ = get_referrers(registry, base, args.repo, args.subject_digest)
        filtered_index, headers = get_referrers(registry, base, args.repo, args.subject_digest,
                                                args.artifact_type)
        result["referrers_all"] = all_index.get("manifests", [])
        result["referrers_filtered"] = filtered_index.get("manifests", [])
        result["filters_applied_header"] = headers.get("OCI-Filters-Applied")
        result["referrers_media_type"] = all_index.get("mediaType")

    print(json.dumps(result, indent=2))

    if args.check:
        problems = []
        if subject_header not in (None, args.subject_digest):
            problems.append(f"OCI-Subject header {subject_header!r} != subject digest")
        if args.pull_from and not pulled_same:
            problems.append(f"oras pull from {args.pull_from} did not return the pushed sbom.json")
        if not args.skip_referrers:
            if result.get("referrers_media_type") != INDEX_MEDIA_TYPE:
                problems.append(f"referrers mediaType {result.get('referrers_media_type')!r}")
            for key in ("referrers_all", "referrers_filtered"):
                found = [d for d in result[key] if d.get("digest") == digest]
                if not found:
                    problems.append(f"{key} lacks the pushed manifest {digest}")
                elif found[0].get("artifactType") != args.artifact_type:
                    problems.append(f"{key}: artifactType {found[0].get('artifactType')!r}")
                elif found[0].get("size") != len(body):
                    problems.append(f"{key}: size {found[0].get('size')} != {len(body)}")
            if any(d.get("artifactType") != args.artifact_type for d in result["referrers_filtered"]):
                problems.append("referrers_filtered holds other artifact types")
            if "artifactType" not in (result["filters_applied_header"] or ""):
                problems.append("OCI-Filters-Applied header lacks artifactType")
        if problems:
            for p in problems:
                print(f"check failed: {p}", file=sys.stderr)
            return 3
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HTTPFailure as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
