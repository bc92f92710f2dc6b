#!/usr/bin/env bash
# publish.sh --app NAME --project TENANT/PROJECT [options]
#
# Publishes an example app the way a developer would with appctl: builds its image (or takes an
# OCI layout already built), smoke-tests it locally, pushes it to a running platformd,
# registers its manifest, signs it, attaches the evidence the promotion gates ask for and
# promotes it to staging. Production is reached only through a release (separation of
# duties): `--to production` also creates the release candidate and shows its gates; another
# principal approves it and a platform-control key promotes it (`appctl release approve|promote`).
# Re-running it for the same tag is safe: the image is rebuilt bit for bit, the push skips
# blobs the registry has, the same manifest registers as a no-op, a signature or evidence
# already there by the same key is not added again, and states already reached are skipped.
#
# Per app it uses, from examples/NAME/: build-image.sh OUT_DIR TAG (prints the manifest digest
# last; not needed with --layout), and optionally smoke.sh and inventory.sh, which replace the
# generic smoke test (examples/publish-smoke.py: the manifest's command in a bubblewrap sandbox,
# ready when its health.readiness probe passes) and the generic inventory
# (examples/publish-inventory.py: dpkg and Python packages of the image).
#
# Options:
#   --app NAME           the app (required unless --manifest names it): manifest
#                        manifests/apps/NAME.yaml, image built by examples/NAME/build-image.sh
#   --manifest FILE      the manifest to register instead of manifests/apps/NAME.yaml
#   --layout DIR         an OCI image layout already built (e.g. by build-image.sh or the tests'
#                        AppImages); holds TAG, or a single image; skips the build
#   --project P          project to publish into (required): TENANT/PROJECT by names (acme/vision),
#                        or its id as `appctl project list` shows it; the image goes to P/REPO, REPO
#                        being the last path part of the manifest's artifact.reference
#   --tag TAG            image tag (default: the tag of the manifest's artifact.reference)
#   --to STATE           staging | production (default staging; production: staging, then a release
#                        candidate for production whose gates are shown; exits 3 until another
#                        principal approves it and platform control promotes it)
#   --key FILE           PEM ECDSA P-256 private signing key (default
#                        ${XDG_CONFIG_HOME:-~/.config}/appctl/signing-keys/NAME.pem); generated
#                        with `appctl signing-key generate` when missing, and its public key
#                        (FILE.pub) registered in the project unless it already is
#   --key-name NAME      name for a newly registered key (default NAME-$USER@$(hostname))
#   --source-repo URL    provenance source repository (default: git remote `origin`, else file://CHECKOUT)
#   --source-commit SHA  provenance source commit (default: git rev-parse HEAD)
#   --ready-report FILE  ready-within evidence to attach instead of running the local smoke test
#                        (needed when the generic smoke cannot run the app: see publish-smoke.py)
#   --scan-report FILE   vulnerability-scan evidence (a scanner's JSON report); without it an
#                        inventory-only report of the image is attached (no CVE database offline)
#   --server URL         platformd URL (sets APPCTL_SERVER for every appctl call)
#   --context NAME       appctl context (sets APPCTL_CONTEXT)
#   -h, --help           this text
#
# Environment: APPCTL (the appctl binary, default `appctl`), APPCTL_SERVER, APPCTL_TOKEN,
# APPCTL_CONTEXT, APPCTL_CONFIG (read by appctl itself). Without them appctl uses its
# current context (`appctl context add … --use` and `appctl login`).
#
# Needs: appctl, umoci, python3 (with yaml), curl, and bwrap for the smoke test (or --ready-report).
# Progress goes to stderr; the final `appctl artifact status` to stdout. Exit 0 when the
# artifact reached the target state, non-zero (with the reason) otherwise.
set -euo pipefail

examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$examples/.." && pwd)

APPCTL=${APPCTL:-appctl}
app=""
manifest=""
layout=""
project=""
tag=""
target=staging
key_file=""
key_name=""
source_repo=""
source_commit=""
ready_report=""
scan_report=""

step_no=0
steps=10
say()  { printf 'publish.sh: %s\n' "$*" >&2; }
step() { step_no=$((step_no + 1)); printf '==> [%d/%d] %s\n' "$step_no" "$steps" "$*" >&2; }
warn() { printf 'publish.sh: warning: %s\n' "$*" >&2; }
die()  { printf 'publish.sh: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }

need_value() { [ $# -ge 2 ] && [ -n "$2" ] || { printf 'publish.sh: error: %s needs a value\n' "$1" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case $1 in
    --app)           need_value "$@"; app=$2; shift 2 ;;
    --manifest)      need_value "$@"; manifest=$2; shift 2 ;;
    --layout)        need_value "$@"; layout=$2; shift 2 ;;
    --project)       need_value "$@"; project=$2; shift 2 ;;
    --tag)           need_value "$@"; tag=$2; shift 2 ;;
    --to)            need_value "$@"; target=$2; shift 2 ;;
    --key)           need_value "$@"; key_file=$2; shift 2 ;;
    --key-name)      need_value "$@"; key_name=$2; shift 2 ;;
    --source-repo)   need_value "$@"; source_repo=$2; shift 2 ;;
    --source-commit) need_value "$@"; source_commit=$2; shift 2 ;;
    --ready-report)  need_value "$@"; ready_report=$2; shift 2 ;;
    --scan-report)   need_value "$@"; scan_report=$2; shift 2 ;;
    --server)        need_value "$@"; export APPCTL_SERVER=$2; shift 2 ;;
    --context)       need_value "$@"; export APPCTL_CONTEXT=$2; shift 2 ;;
    -h|--help)       usage 0 ;;
    *) printf 'publish.sh: error: unknown argument %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done

[ -n "$app" ] || [ -n "$manifest" ] || { printf 'publish.sh: error: --app NAME (or --manifest FILE) is required (see --help)\n' >&2; exit 2; }
[ -n "$project" ] || { printf 'publish.sh: error: --project TENANT/PROJECT is required (see --help)\n' >&2; exit 2; }
case $target in
  staging|promoted:staging)       target=staging ;;
  production|promoted:production) target=production ;;
  *) printf 'publish.sh: error: --to must be staging or production, not %s\n' "$target" >&2; exit 2 ;;
esac
for f in "$ready_report" "$scan_report" "$manifest"; do
  [ -z "$f" ] || [ -r "$f" ] || { printf 'publish.sh: error: cannot read %s\n' "$f" >&2; exit 2; }
done
[ -z "$layout" ] || [ -r "$layout/index.json" ] || { printf 'publish.sh: error: %s is not an OCI image layout (no index.json)\n' "$layout" >&2; exit 2; }

command -v "$APPCTL" >/dev/null 2>&1 || die "appctl not found ('$APPCTL'); put it on PATH or set APPCTL=/path/to/appctl"
for tool in umoci python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found; it is needed to build and check the image"
done
python3 -c 'import yaml' 2>/dev/null || die "python3 cannot import yaml (apt-get install python3-yaml); it reads the manifest"

# The manifest: name, the image repository and tag its artifact.reference names, its version
# and the ready-within limit the smoke test holds the app to.
: "${manifest:=$repo_root/manifests/apps/$app.yaml}"
[ -r "$manifest" ] || die "cannot read the manifest $manifest (pass --manifest FILE)"
read -r manifest_name image_name reference_tag manifest_version ready_minutes < <(python3 - "$manifest" <<'PY'
import sys, yaml
m = yaml.safe_load(open(sys.argv[1]))
ref = str((m.get("artifact") or {}).get("reference") or "")
path, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "")
print(m["metadata"]["name"], (path or m["metadata"]["name"]).rsplit("/", 1)[-1], tag or "-",
      m["metadata"].get("version", "-"), (m.get("evidence") or {}).get("readyWithinMinutes", 2))
PY
) || die "cannot read metadata.name and artifact.reference from $manifest"
: "${app:=$manifest_name}"
[ "$app" = "$manifest_name" ] || warn "--app $app but $manifest names $manifest_name"
if [ -z "$tag" ]; then
  if [ "$reference_tag" != - ]; then tag=$reference_tag; else tag=$manifest_version; fi
fi
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || { printf "publish.sh: error: '%s' is not a valid tag\n" "$tag" >&2; exit 2; }
app_dir=$examples/$app
if [ -z "$layout" ] && [ ! -r "$app_dir/build-image.sh" ]; then
  die "no $app_dir/build-image.sh to build the image; pass --layout DIR"
fi
if [ -z "$ready_report" ] && ! command -v bwrap >/dev/null 2>&1; then
  die "bwrap not found: the smoke test that produces the ready-within evidence runs the image with it (apt-get install bubblewrap), or pass --ready-report FILE"
fi

# appctl and the registry take a project by names, TENANT/PROJECT (the repository is then
# TENANT/PROJECT/REPO), or by id; an id goes to the registry in lower case, as OCI names are.
case $project in
  */*) repo=$project/$image_name ;;
  *)   repo=$(printf '%s' "$project" | tr '[:upper:]' '[:lower:]')/$image_name ;;
esac

if [ -z "$key_file" ]; then
  key_file=${XDG_CONFIG_HOME:-$HOME/.config}/appctl/signing-keys/$app.pem
fi
: "${key_name:=$app-${USER:-$(id -un 2>/dev/null || echo dev)}@$(hostname 2>/dev/null || echo host)}"

work=$(mktemp -d "${TMPDIR:-/tmp}/$app-publish.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# appctl with a failure message naming the step; its own "Error: … (code)" line is already on stderr.
ctl() {
  local what=$1; shift
  local rc=0
  "$APPCTL" "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    case $rc in
      69) die "$what: platformd is unreachable or not ready (appctl exit 69); check APPCTL_SERVER / --server / the current context" ;;
      77) die "$what: refused (appctl exit 77: credentials or a gate; see the Error line above)" ;;
      78) die "$what: appctl is not configured (exit 78); run 'appctl context add NAME --server URL --use' and 'appctl login', or pass --server and set APPCTL_TOKEN" ;;
      *)  die "$what failed (appctl exit $rc)" ;;
    esac
  fi
}

# json FILE PYTHON-EXPR: evaluate EXPR with `d` = the parsed file; prints str/int, or JSON.
json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
v = eval(sys.argv[2], {"d": d})
if isinstance(v, (dict, list)):
    print(json.dumps(v))
elif v is None:
    print("")
elif isinstance(v, bool):
    print("true" if v else "false")
else:
    print(v)
PY
}

if [ "$manifest_version" != - ] && [ "$tag" != "$manifest_version" ]; then
  warn "tag $tag differs from the manifest's version $manifest_version"
fi

# ---------------------------------------------------------------------------------------
step "checking the server and credentials"
ctl "appctl whoami" whoami -o json >"$work/whoami.json"
say "as $(json "$work/whoami.json" 'd.get("principalName") or d.get("principalId")') against ${APPCTL_SERVER:-the ${APPCTL_CONTEXT:-current} context}"

# ---------------------------------------------------------------------------------------
if [ -n "$layout" ]; then
  step "taking the image ($app:$tag) from the layout $layout"
  # The manifest of TAG in the layout, or its only image when it names no such tag.
  read -r digest layout_ref < <(python3 - "$layout/index.json" "$tag" <<'PY'
import json, sys
manifests = json.load(open(sys.argv[1])).get("manifests", [])
named = [m for m in manifests if (m.get("annotations") or {}).get("org.opencontainers.image.ref.name") == sys.argv[2]]
pick = named or (manifests if len(manifests) == 1 else [])
if pick:
    print(pick[0]["digest"], (pick[0].get("annotations") or {}).get("org.opencontainers.image.ref.name", "-"))
PY
  ) || die "the layout $layout holds no image tagged $tag (and not exactly one image)"
  image=$layout
else
  step "building the image ($app:$tag) with examples/$app/build-image.sh"
  bash "$app_dir/build-image.sh" "$work/image" "$tag" >"$work/build.out" \
    || die "build-image.sh failed"
  digest=$(tail -n 1 "$work/build.out")
  image=$work/image layout_ref=$tag
fi
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "no image digest (got '$digest')"
say "image $digest"
push_ref=()
[ "$layout_ref" = - ] || push_ref=(--ref "$layout_ref")

# ---------------------------------------------------------------------------------------
umoci_ref=$image
[ "$layout_ref" = - ] || umoci_ref=$image:$layout_ref
if [ -x "$app_dir/smoke.sh" ]; then
  step "smoke test: examples/$app/smoke.sh"
else
  step "smoke test: the manifest's command in a sandbox until its readiness probe passes (examples/publish-smoke.py)"
fi
if [ -n "$ready_report" ]; then
  cp "$ready_report" "$work/ready-within.json"
  say "using $ready_report as ready-within evidence; smoke test skipped"
fi
if [ -z "$ready_report" ] || [ -z "$scan_report" ]; then
  umoci unpack --rootless --image "$umoci_ref" "$work/bundle" >/dev/null 2>"$work/unpack.err" \
    || { cat "$work/unpack.err" >&2; die "umoci unpack failed"; }
fi
rootfs=$work/bundle/rootfs
mkdir -p "$work/smoke"
if [ -z "$ready_report" ]; then
  if [ -x "$app_dir/smoke.sh" ]; then
    "$app_dir/smoke.sh" "$rootfs" "$manifest" "$digest" "$tag" "$ready_minutes" "$work/smoke" >"$work/ready-within.json" \
      || die "the smoke test failed"
  else
    python3 "$examples/publish-smoke.py" --bundle "$work/bundle" --manifest "$manifest" --digest "$digest" --tag "$tag" \
      --ready-minutes "$ready_minutes" --work "$work/smoke" >"$work/ready-within.json" \
      || die "the smoke test failed (if it cannot run this app outside the platform, pass --ready-report FILE)"
    say "ready after $(json "$work/ready-within.json" 'd["observedReadySeconds"]') s ($(json "$work/ready-within.json" 'd["probe"]["kind"]'))"
  fi
fi

if [ -n "$scan_report" ]; then
  cp "$scan_report" "$work/vulnerability-scan.json"
else
  warn "no --scan-report: the vulnerability-scan evidence will be an inventory of the image, not a CVE database scan"
  if [ -x "$app_dir/inventory.sh" ]; then
    "$app_dir/inventory.sh" "$rootfs" "$digest" "$tag" >"$work/vulnerability-scan.json" || die "examples/$app/inventory.sh failed"
  else
    python3 "$examples/publish-inventory.py" "$rootfs" "$digest" "$tag" "$app" >"$work/vulnerability-scan.json" \
      || die "publish-inventory.py failed"
  fi
fi

# ---------------------------------------------------------------------------------------
step "pushing to $repo:$tag"
ctl "appctl artifact push" artifact push "$image" "$repo:$tag" "${push_ref[@]}" -o json >"$work/push.json"
pushed=$(json "$work/push.json" 'd["digest"]')
[ "$pushed" = "$digest" ] || die "the registry stored $pushed, not the built $digest"
say "pushed $(json "$work/push.json" 'd["bytesPushed"]') bytes, $(json "$work/push.json" 'd["blobsSkipped"]') blobs already there"
ref=$repo@$digest

# ---------------------------------------------------------------------------------------
step "registering ${manifest#"$repo_root"/} in project $project"
ctl "appctl app register (a changed manifest needs a new metadata.version)" \
  app register "$manifest" --project "$project" >&2

# ---------------------------------------------------------------------------------------
step "signing key $key_file"
if [ ! -e "$key_file" ]; then
  mkdir -p "$(dirname "$key_file")"
  chmod 0700 "$(dirname "$key_file")" 2>/dev/null || true
  ctl "appctl signing-key generate" signing-key generate --out "$key_file" >&2
elif [ ! -e "$key_file.pub" ]; then
  command -v openssl >/dev/null 2>&1 || die "$key_file.pub is missing and openssl is not there to derive it"
  openssl pkey -in "$key_file" -pubout -out "$key_file.pub" 2>/dev/null || die "cannot read $key_file as a PEM private key"
  say "derived $key_file.pub"
fi
ctl "appctl signing-key list" signing-key list --project "$project" -o json >"$work/keys.json"
python3 - "$work/keys.json" "$key_file.pub" >"$work/key-match" <<'PY'
import json, sys
keys = json.load(open(sys.argv[1]))
mine = "".join(open(sys.argv[2]).read().split())
for k in keys:
    if "".join(k.get("publicKeyPEM", "").split()) == mine:
        print(k["id"], k.get("status", ""), k.get("name", ""))
        break
PY
if [ -s "$work/key-match" ]; then
  read -r key_id key_status key_registered_name <"$work/key-match"
  [ "$key_status" = active ] || die "the project has this public key as '$key_registered_name' ($key_id) but it is $key_status; use another --key"
  say "already trusted by the project as '$key_registered_name' ($key_id)"
else
  ctl "appctl signing-key add" signing-key add --project "$project" --name "$key_name" --public-key "$key_file.pub" -o json >"$work/key-added.json"
  key_id=$(json "$work/key-added.json" 'd["id"]')
  say "registered as '$key_name' ($key_id)"
fi

# ---------------------------------------------------------------------------------------
# valid_by_me TYPE: is there a valid DSSE referrer of evidence TYPE signed with our key?
status_json() { ctl "appctl artifact status" artifact status "$ref" -o json >"$work/status.json"; }
valid_by_me() {
  json "$work/status.json" "any(s.get('valid') and s.get('keyId') == '$key_id' and s.get('evidenceType') == '$1' for s in d.get('signatures', []) + d.get('evidence', []))"
}

step "signing $ref"
status_json
if [ "$(valid_by_me slsa-provenance)" = true ]; then
  say "already signed with $key_id; not signing again"
else
  if [ -z "$source_repo" ]; then
    source_repo=$(git -C "$repo_root" remote get-url origin 2>/dev/null || true)
    : "${source_repo:=file://$repo_root}"
  fi
  if [ -z "$source_commit" ]; then
    source_commit=$(git -C "$repo_root" rev-parse HEAD 2>/dev/null || true)
    [ -n "$source_commit" ] || die "no git commit to name in the provenance; pass --source-commit SHA"
    if [ -n "$(git -C "$repo_root" status --porcelain -- "$app_dir" "$manifest" 2>/dev/null)" ]; then
      warn "examples/$app or its manifest has uncommitted changes; the provenance names $source_commit"
    fi
  fi
  ctl "appctl artifact sign" artifact sign "$ref" --key "$key_file" \
    --source-repo "$source_repo" --source-commit "$source_commit" >&2
  status_json
fi

# ---------------------------------------------------------------------------------------
step "attaching the evidence the gates up to promoted:$target ask for"
# What the gates still miss, by evidence type (the registry decides; nothing is hard-coded).
gates="'verified', 'promoted:staging'"
[ "$target" = production ] && gates="$gates, 'promoted:production'"
missing=$(json "$work/status.json" "' '.join(sorted({m.split()[1] for g in d['gates'] if g['to'] in ($gates) for m in g['missing'] if m.startswith('evidence: ')}))")
if [ -z "$missing" ]; then
  say "nothing missing"
fi
for type in $missing; do
  case $type in
    ready-within)       file=$work/ready-within.json ;;
    vulnerability-scan) file=$work/vulnerability-scan.json ;;
    slsa-provenance)    die "the signature by $key_id does not count as slsa-provenance evidence; see 'appctl artifact status $ref'" ;;
    *)                  die "a gate asks for '$type' evidence, which publish.sh cannot produce; attach it with 'appctl evidence attach $ref FILE --type $type --key KEY.pem' and re-run" ;;
  esac
  ctl "appctl evidence attach $type" evidence attach "$ref" "$file" --type "$type" --key "$key_file" >&2
done
status_json

# ---------------------------------------------------------------------------------------
rank() {
  case $1 in
    registered) echo 0 ;; verified) echo 1 ;; promoted:staging) echo 2 ;; promoted:production) echo 3 ;;
    *) echo -1 ;;
  esac
}
promote_to() {  # promote_to staging|production
  local want=promoted:$1 state
  state=$(json "$work/status.json" 'd["state"]')
  case $state in
    quarantined|revoked) die "$ref is $state; a developer cannot promote it (an administrator releases it with 'appctl artifact promote $ref --to registered')" ;;
  esac
  if [ "$(rank "$state")" -ge "$(rank "$want")" ]; then
    say "already $state; skipping"
    return
  fi
  ctl "appctl artifact promote --to $1" artifact promote "$ref" --to "$1" >&2
  status_json
}
step "promoting to staging"
promote_to staging
step "production: a release candidate"
if [ "$target" = production ]; then
  if [ "$(json "$work/status.json" 'd["state"]')" = promoted:production ]; then
    say "already promoted:production; skipping"
  else
    # A project key cannot promote to production: it needs release:promote (platform control)
    # and a passing release decision, which needs an approval by someone who did not sign.
    branch=$(git -C "$repo_root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo main)
    sha=$source_commit
    [[ "$sha" =~ ^[0-9a-f]{40}$ ]] || sha=$(printf '%s' "$source_commit" | sha1sum | cut -c1-40)
    ctl "appctl release create" release create --project "$project" --environment production --artifact "$ref" \
      --source-sha "$sha" --branch "$branch" -o json >"$work/release.json"
    release=$(json "$work/release.json" 'd["id"]')
    "$APPCTL" release gates "$release" --project "$project" >&2 || true
    say "release $release is a candidate for production: attach its evidence ('appctl release evidence add $release --project $project …'),"
    say "have another principal approve it ('appctl release approve $release --project $project --comment …') and promote it"
    say "with a platform-control key ('appctl release promote $release --project $project')"
    exit 3
  fi
else
  say "skipped (--to staging; production goes through a release)"
fi

# ---------------------------------------------------------------------------------------
final=$(json "$work/status.json" 'd["state"]')
case $target in
  staging)    [ "$(rank "$final")" -ge 2 ] || die "$ref ended $final, not promoted:staging" ;;
  production) [ "$final" = promoted:production ] || die "$ref ended $final, not promoted:production" ;;
esac
say "done: $repo:$tag = $digest is $final"
"$APPCTL" artifact status "$ref"
