"""Reads page images with the system's tesseract library, its models kept loaded between pages.

Run by TesseractApiEngine (tesseract-api.engine.ts) with Debian's python3 and python3-tesserocr
(the tesseract C++ API for Python). A `tesseract` command run per page spends about 0.2 s of CPU
loading its model before it reads a pixel; here a model is loaded once per process.

Protocol, one request at a time: on stdin a JSON line {"model": "deu", "dpi": 300, "length": N}
followed by N bytes of a binary PBM (P4) or 8-bit PGM (P5); on stdout a JSON line
{"ok": true, "length": M} followed by M bytes of hOCR (UTF-8), or {"ok": false, "error": "..."}.
End of stdin ends the process.
"""

import json
import re
import sys
from collections import OrderedDict

import tesserocr

# Models kept loaded (a page's language and the one before it); each takes tens of MB.
MAX_LOADED_MODELS = 2
# `P4 width height` or `P5 width height maxval`, then one whitespace byte before the pixels.
PBM_HEADER = re.compile(rb"P4\s+(\d+)\s+(\d+)\s")
PGM_HEADER = re.compile(rb"P5\s+(\d+)\s+(\d+)\s+255\s")
# tesseract takes 1 for white in packed binary pixels; a PBM has 1 for black.
INVERT = bytes(255 - value for value in range(256))

loaded = OrderedDict()


def api_for(model):
    """The API holding `model`, loaded on first use; the least recently used one beyond the cap is ended."""
    if model in loaded:
        loaded.move_to_end(model)
        return loaded[model]
    # Same settings as `tesseract ... --oem 1 --psm 3 hocr`: the LSTM engine, automatic layout,
    # and what the command's `hocr` config sets besides asking for hOCR.
    api = tesserocr.PyTessBaseAPI(lang=model, psm=tesserocr.PSM.AUTO, oem=tesserocr.OEM.LSTM_ONLY)
    api.SetVariable("hocr_font_info", "0")
    loaded[model] = api
    while len(loaded) > MAX_LOADED_MODELS:
        loaded.popitem(last=False)[1].End()
    return api


def read_page(request, image):
    pbm, pgm = PBM_HEADER.match(image), PGM_HEADER.match(image)
    if pbm is not None:
        width, height = int(pbm.group(1)), int(pbm.group(2))
        row_bytes, depth, pixels = (width + 7) // 8, 0, image[pbm.end():].translate(INVERT)
    elif pgm is not None:
        width, height = int(pgm.group(1)), int(pgm.group(2))
        row_bytes, depth, pixels = width, 1, image[pgm.end():]
    else:
        raise ValueError("the image is not a binary PBM (P4) or an 8-bit PGM (P5)")
    expected = row_bytes * height
    if width < 1 or height < 1 or len(pixels) < expected:
        raise ValueError("the image is cut short")
    api = api_for(request["model"])
    pixels = pixels[:expected]
    api.SetImageBytes(pixels, width, height, depth, row_bytes)
    # As the command's `--dpi` does (a source resolution would be replaced by 70 below 70 DPI);
    # 0 leaves it to the image, as the command without `--dpi`.
    api.SetVariable("user_defined_dpi", str(int(request.get("dpi") or 0)))
    hocr = api.GetHOCRText(0)
    if hocr is None:
        raise RuntimeError("tesseract could not read the image")
    return hocr.encode("utf-8")


def answer(header, body=b""):
    sys.stdout.buffer.write(json.dumps(header).encode("utf-8") + b"\n" + body)
    sys.stdout.buffer.flush()


def main():
    source = sys.stdin.buffer
    while True:
        line = source.readline()
        if not line:
            return
        request = json.loads(line)
        image = source.read(request["length"])
        if len(image) < request["length"]:
            return
        try:
            hocr = read_page(request, image)
        except Exception as error:
            # Whatever one image does (too large for tesseract, out of memory), the next is read.
            answer({"ok": False, "error": str(error)})
            continue
        answer({"ok": True, "length": len(hocr)}, hocr)


if __name__ == "__main__":
    main()
