#!/bin/sh
# Rebuild tracker/site/assets/vendor/ajv2020.min.js (and its LICENSE.txt) from the versions
# pinned in package-lock.json. Dev-time only: the bundle is committed, so building the site,
# the tests and CI never need npm or the network. Run after changing package.json:
#
#   sh tracker/site/vendor/build.sh
#
# Why a bundle: the filing page must check a filing with the same JSON Schemas as
# `tracker validate`, offline and from file://, so the validator ships inside the site as one
# plain script (no module loader, no CDN).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../assets/vendor"
cd "$here"
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p "$out"
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --charset=utf8 --metafile=meta.json --log-level=warning \
  --outfile="$out/ajv2020.min.js"
# One LICENSE.txt with the licence of every package the bundle contains.
node -e '
const fs = require("fs"), path = require("path");
const meta = JSON.parse(fs.readFileSync("meta.json", "utf8"));
const pkgs = new Set();
for (const input of Object.keys(meta.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) pkgs.add(m[1]);
}
let text = "Third-party software bundled in ajv2020.min.js (built by tracker/site/vendor/build.sh).\n";
for (const name of [...pkgs].sort()) {
  const dir = path.join("node_modules", name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const lic = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  text += "\n" + "=".repeat(72) + "\n" + name + " " + pkg.version + " (" + pkg.license + ")\n"
    + "=".repeat(72) + "\n\n" + fs.readFileSync(path.join(dir, lic), "utf8").trim() + "\n";
}
fs.writeFileSync(process.argv[1], text);
' "$out/LICENSE.txt"
rm -rf meta.json node_modules  # nothing of npm's stays in the source tree
echo "wrote $out/ajv2020.min.js ($(wc -c < "$out/ajv2020.min.js") bytes) and LICENSE.txt"
