# Sourced by the test receivers (scripts/webhooks, scripts/smtp): a virtual environment holding
# one PyPI package at one pinned version, (re)made when it is missing or holds another version.
# ensure_pinned_venv VENV PACKAGE VERSION
ensure_pinned_venv() {
  local venv=$1 package=$2 version=$3
  if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('$package') != '$version')" 2>/dev/null; then
    echo "==> python3 -m venv $venv; pip install $package==$version" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$package==$version" >&2
  fi
}
