#!/usr/bin/env bash
# Regenerate the third-party browser assets that the offline HTML book serves itself
# (no CDN): RequireJS, the Jupyter widgets HTML manager (with its icon fonts) and MathJax 3.
# Takes the pinned versions from the npm registry with `npm pack`; run it only when bumping a
# version, then commit _assets/vendor. Usage: scripts/vendor_assets.sh
set -euo pipefail
HTML_MANAGER=1.0.15   # @jupyter-widgets/html-manager, matches ipywidgets 8.1.x (^1.0.1)
REQUIREJS=2.3.8
MATHJAX=3.2.2

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/_assets/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@jupyter-widgets/html-manager@$HTML_MANAGER" "requirejs@$REQUIREJS" "mathjax@$MATHJAX" >/dev/null
for t in *.tgz; do mkdir -p "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done

rm -rf "$dest" && mkdir -p "$dest/html-manager" "$dest/mathjax/output/chtml/fonts"
hm=jupyter-widgets-html-manager-$HTML_MANAGER/package
cp "$hm/dist/embed-amd.js" "$dest/html-manager/"
# icon fonts (Font Awesome) that embed-amd.js loads next to itself
cp "$hm"/dist/*.woff2 "$hm"/dist/*.woff "$hm"/dist/*.ttf "$hm"/dist/*.eot "$hm"/dist/*.svg "$dest/html-manager/"
cp "$hm/LICENSE" "$dest/html-manager/LICENSE" 2>/dev/null || true
rq=requirejs-$REQUIREJS/package
cp "$rq/require.js" "$dest/require.js"
# require.js carries its MIT licence in its header
mj=mathjax-$MATHJAX/package
cp "$mj/es5/tex-chtml.js" "$dest/mathjax/"
cp -r "$mj/es5/output/chtml/fonts/woff-v2" "$dest/mathjax/output/chtml/fonts/"
cp "$mj/LICENSE" "$dest/mathjax/LICENSE"

cat > "$dest/VENDORED.md" <<MD
# Vendored browser assets

Served by the book itself so that no page needs the network. Regenerate with
\`scripts/vendor_assets.sh\` (npm pack of the pinned versions below).

| package | version | licence | files |
|---|---|---|---|
| @jupyter-widgets/html-manager | $HTML_MANAGER | BSD-3-Clause | html-manager/embed-amd.js and its icon fonts |
| requirejs | $REQUIREJS | MIT | require.js |
| mathjax | $MATHJAX | Apache-2.0 | mathjax/tex-chtml.js, mathjax/output/chtml/fonts/woff-v2 |
MD
du -sh "$dest"
