#!/usr/bin/env bash
# The OCR reader's OpenCV: rapidocr-onnxruntime depends on opencv-python, whose cv2 needs
# libGL and GLib from the system. Install them when cv2 cannot load and we may;
# otherwise say what to do. (RapidOCR's models ship inside its wheel: nothing to fetch.)
set -u
py="${1:-.venv/bin/python}"
"$py" -c "import cv2" 2>/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing libgl1 and libglib2.0-0 (needed by OpenCV for reading scans)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgl1 libglib2.0-0 >/dev/null) \
    || { echo "could not install libgl1; scanned reports will be stored with needs_ocr" >&2; exit 0; }
else
  echo "OpenCV cannot load: run 'sudo apt-get install libgl1 libglib2.0-0'; scanned reports will be stored with needs_ocr" >&2
fi
exit 0
