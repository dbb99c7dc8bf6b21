#!/usr/bin/env bash
# Puts a static busybox for a foreign architecture (Debian's busybox-static) where
# ensureBaseImage({ platform }) looks for it: /usr/local/lib/slipway/busybox-<arch>.
# Usage (root): fetch-busybox.sh arm64. Idempotent; needs Debian's package indexes for that
# architecture, so it adds the architecture to dpkg and runs apt-get update once.
set -euo pipefail
arch="${1:?usage: fetch-busybox.sh <debian arch, e.g. arm64>}"
target="/usr/local/lib/slipway/busybox-$arch"
[ -x "$target" ] && exit 0
if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
  dpkg --add-architecture "$arch"
  apt-get update -qq
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "busybox-static:$arch")
dpkg-deb -x "$work"/busybox-static_*_"$arch".deb "$work/root"
mkdir -p "$(dirname "$target")"
install -m 0755 "$work/root/bin/busybox" "$target"
