"""The docs chart gallery, built by Sphinx from its code and opened in headless Chromium.

The test builds ``docs/charts.rst`` on its own (with the plot settings of
``docs/conf.py``) into a temporary folder, serves it over HTTP (so the page may read
its images' pixels) and checks that every figure loads and is not blank.
"""

from __future__ import annotations

import functools
import http.server
import runpy
import shutil
import threading
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    pytest.importorskip("matplotlib")
    from sphinx.cmd.build import build_main

    src = tmp_path_factory.mktemp("gallery-src")
    out = tmp_path_factory.mktemp("gallery-html")
    settings = {
        k: v for k, v in runpy.run_path(str(DOCS / "conf.py")).items() if k.startswith("plot_")
    }
    conf = [
        'extensions = ["matplotlib.sphinxext.plot_directive"]',
        'project = "peoscales"',
        *(f"{k} = {v!r}" for k, v in settings.items()),
    ]
    (src / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    shutil.copy(DOCS / "charts.rst", src / "index.rst")
    assert build_main(["-W", "-q", "-b", "html", str(src), str(out)]) == 0

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


_PIXELS = """
return Array.from(document.images).map(img => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  if (!img.complete || !c.width) return {src: img.src, loaded: false};
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let dark = 0, colours = new Set();
  for (let i = 0; i < d.length; i += 4 * 7) {
    if (d[i] + d[i + 1] + d[i + 2] < 600) dark++;
    colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  }
  return {src: img.src, loaded: true, dark: dark, colours: colours.size,
          shown: img.getBoundingClientRect().width};
});
"""


def test_every_gallery_image_loads_and_is_not_blank(driver, gallery, artifacts):
    url = gallery
    sources = (DOCS / "charts.rst").read_text(encoding="utf-8").count(".. plot::")
    driver.get(url)
    assert driver.execute_script("return document.readyState") == "complete"
    images = driver.execute_script(_PIXELS)
    assert len(images) == sources >= 11
    for image in images:
        assert image["loaded"], image["src"]
        assert image["shown"] > 100, image
        # a chart has ink (axes, bars, text) and more than a couple of colours
        assert image["dark"] > 200 and image["colours"] > 5, image
    shot = artifacts / "charts_gallery.screenshot.png"
    assert driver.save_screenshot(str(shot))
