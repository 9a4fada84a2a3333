#!/usr/bin/env bash
# Debian's chromium is the browser scrapy-playwright launches (playwright's own download
# cannot work offline). Install it when missing and we may; otherwise say what to do.
set -u
bin="${GXNB_CHROMIUM:-/usr/bin/chromium}"
[ -x "$bin" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium (needed for pages that need a browser)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
    || { echo "could not install chromium; browser tests will be skipped" >&2; exit 0; }
else
  echo "chromium not found at $bin: run 'sudo apt-get install chromium' (or set GXNB_CHROMIUM); browser tests will be skipped" >&2
fi
exit 0
