#!/bin/sh
# Install the rally binary for this machine from a rally release.
#
#   curl -fsSL https://github.com/rally-dev/rally/releases/latest/download/install.sh | sh
#
# Environment:
#   RALLY_VERSION           install this version (e.g. 0.2.0 or v0.2.0) instead of the latest
#   RALLY_INSTALL_DIR       where to put `rally` (default: ~/.local/bin)
#   RALLY_INSTALL_BASE_URL  release base URL (default: https://github.com/$RALLY_REPO/releases)
#   RALLY_REPO              GitHub owner/name to install from (default: rally-dev/rally)
#
# Release layout (the same one `rally update` reads):
#   <base>/latest/download/<asset>, <base>/latest/download/SHA256SUMS
#   <base>/download/v<version>/<asset>, <base>/download/v<version>/SHA256SUMS
# where <asset> is rally-<os>-<arch>[-musl][.exe]. The binary is verified against SHA256SUMS,
# staged next to its destination and renamed into place: no partial binary is ever left behind.

set -eu

RALLY_REPO="${RALLY_REPO:-rally-dev/rally}"
BASE_URL="${RALLY_INSTALL_BASE_URL:-https://github.com/$RALLY_REPO/releases}"
BASE_URL="${BASE_URL%/}"
INSTALL_DIR="${RALLY_INSTALL_DIR:-${HOME:?HOME is not set; set RALLY_INSTALL_DIR}/.local/bin}"
VERSION="${RALLY_VERSION:-}"

TMP_DIR=""
STAGED=""

say() { printf 'rally-install: %s\n' "$*"; }
die() { printf 'rally-install: error: %s\n' "$*" >&2; exit 1; }

cleanup() {
  if [ -n "$STAGED" ]; then rm -f "$STAGED"; fi
  if [ -n "$TMP_DIR" ]; then rm -rf "$TMP_DIR"; fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

is_musl() {
  if ls /lib/ld-musl-* >/dev/null 2>&1; then return 0; fi
  ldd --version 2>&1 | grep -qi musl
}

detect_asset() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN*) os=windows ;;
    *) die "no prebuilt rally binary for the OS \"$os\"; build rally from source" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no prebuilt rally binary for the architecture \"$arch\"; build rally from source" ;;
  esac
  # An x64 shell under Rosetta on Apple silicon: the native binary is the better choice.
  if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
    arch=arm64
  fi
  suffix=""
  if [ "$os" = linux ] && is_musl; then
    [ "$arch" = x64 ] || die "no prebuilt musl binary for linux-$arch; build rally from source"
    suffix="-musl"
  fi
  if [ "$os" = windows ]; then suffix=".exe"; fi
  echo "rally-$os-$arch$suffix"
}

# fetch URL FILE: 0 on HTTP 200; 1 with $status set on an HTTP error; exits on a network error.
fetch() {
  status=""
  if command -v curl >/dev/null 2>&1; then
    status=$(curl -sSL --connect-timeout 20 --retry 2 -o "$2" -w '%{http_code}' "$1" 2>"$TMP_DIR/curl.err") ||
      die "could not download $1: $(tail -n 1 "$TMP_DIR/curl.err") (check your network connection)"
    [ "$status" = 200 ]
  elif command -v wget >/dev/null 2>&1; then
    wget -q -S -T 20 -O "$2" "$1" 2>"$TMP_DIR/wget.err" && return 0
    rc=$?
    [ "$rc" = 8 ] || die "could not download $1 (wget exit $rc; check your network connection)"
    status=$(awk '$1 ~ /^HTTP\// { s = $2 } END { print s }' "$TMP_DIR/wget.err")
    return 1
  else
    die "neither curl nor wget is installed; install one of them and retry"
  fi
}

# download URL FILE WHAT-IF-404
download() {
  fetch "$1" "$2" && return 0
  case "$status" in
    404) die "$3 ($1 returned HTTP 404)" ;;
    *) die "could not download $1 (HTTP $status); try again later" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed; cannot verify the download"
  fi
}

main() {
  asset=$(detect_asset) || exit 1
  if [ -n "$VERSION" ]; then
    tag="v${VERSION#v}"
    release_url="$BASE_URL/download/$tag"
  else
    tag="latest"
    release_url="$BASE_URL/latest/download"
  fi
  TMP_DIR=$(mktemp -d 2>/dev/null || mktemp -d -t rally-install) || die "cannot create a temporary directory (set TMPDIR)"

  say "downloading $asset ($tag) from $release_url"
  download "$release_url/SHA256SUMS" "$TMP_DIR/SHA256SUMS" "release $tag does not exist or has no SHA256SUMS"
  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$TMP_DIR/SHA256SUMS")
  [ -n "$expected" ] || die "release $tag has no $asset binary for this platform (not in SHA256SUMS); see https://github.com/$RALLY_REPO/releases"
  download "$release_url/$asset" "$TMP_DIR/$asset" "release $tag has no $asset binary for this platform"

  actual=$(sha256_of "$TMP_DIR/$asset")
  if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual; refusing to install (nothing was changed)"
  fi

  mkdir -p "$INSTALL_DIR" 2>/dev/null || die "cannot create $INSTALL_DIR; set RALLY_INSTALL_DIR to a directory you can write"
  name=rally
  case "$asset" in *.exe) name=rally.exe ;; esac
  STAGED="$INSTALL_DIR/.$name.install-$$"
  cp "$TMP_DIR/$asset" "$STAGED" 2>/dev/null || die "cannot write to $INSTALL_DIR; set RALLY_INSTALL_DIR to a directory you can write"
  chmod 0755 "$STAGED"
  mv -f "$STAGED" "$INSTALL_DIR/$name" || die "cannot replace $INSTALL_DIR/$name"
  STAGED=""

  installed=$("$INSTALL_DIR/$name" version 2>/dev/null || true)
  say "installed ${installed:-rally ($tag)} to $INSTALL_DIR/$name"
  case ":${PATH:-}:" in
    *":$INSTALL_DIR:"*) ;;
    *) say "note: $INSTALL_DIR is not on your PATH; add it, e.g. in ~/.profile: export PATH=\"$INSTALL_DIR:\$PATH\"" ;;
  esac
}

main "$@"
