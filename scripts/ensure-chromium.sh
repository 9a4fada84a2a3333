#!/usr/bin/env bash
# Debian's chromium is the browser scrapy-playwright launches (playwright's own download
# cannot work offline), and a CJK font is what it (and LibreOffice) print Chinese pages
# with: scripts/make_fixtures.py and benchmarks/heldout.py print reports to PDF. Install
# what is missing when we may; otherwise say what to do. Debian's Droid Sans Fallback
# (pulled in by ghostscript) does not count: it has no Latin glyphs, so prints made with
# it differ from ours. The PDF reader itself needs no system font (pdfium_fonts.py).
set -u
bin="${GXNB_CHROMIUM:-/usr/bin/chromium}"
packages=()
[ -x "$bin" ] || packages+=(chromium)
cjk_fonts() { command -v fc-list >/dev/null && fc-list :lang=zh family | grep -v "Droid Sans Fallback"; }
[ -n "$(cjk_fonts)" ] || packages+=(fonts-wqy-microhei)
[ ${#packages[@]} = 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's ${packages[*]} (a browser for pages that need one; a CJK font for printing them)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null) \
    || { echo "could not install ${packages[*]}; without chromium browser tests are skipped" >&2; exit 0; }
else
  echo "missing: ${packages[*]}: run 'sudo apt-get install ${packages[*]}'" \
       "(without chromium, or GXNB_CHROMIUM, browser tests are skipped; without a CJK font" \
       "Chinese pages print without their characters)" >&2
fi
exit 0
