"""One build of one guide in this process, timed step by step, then WeasyPrint alone on the
same HTML; prints one line of JSON. bench/run.py runs it in a fresh process per guide, so
each peak RSS is that build's own.

    python bench/measure_build.py GUIDE_DIR LAYOUT OUTPUT.pdf
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

started = time.perf_counter()

from guide.build import load_guide, resolve_layout  # noqa: E402
from guide.impose import impose_saddle_stitch, page_size  # noqa: E402
from guide.output import write_atomically  # noqa: E402
from guide.render_html import render_html  # noqa: E402
from guide.render_pdf import render_pdf  # noqa: E402


def main(guide_dir: Path, layout_name: str, output: Path) -> dict:
    times: dict[str, float] = {}

    def timed(step, function, *args, **kwargs):
        begin = time.perf_counter()
        result = function(*args, **kwargs)
        times[step] = times.get(step, 0.0) + time.perf_counter() - begin
        return result

    import weasyprint  # the import is WeasyPrint's cost, not ours: timed apart

    times["import"] = time.perf_counter() - started
    guide = timed("load", load_guide, guide_dir)
    layout = timed("load", resolve_layout, guide, layout_name)
    paper = guide.info.paper or layout.paper or "A4"
    html = timed("html", render_html, guide, layout, paper)
    size = page_size(paper, layout.imposition).css
    rendered = timed(
        "render",
        render_pdf,
        html,
        layout.stylesheets,
        roots=[guide.folder, *layout.folders],
        page_size=size,
        base=layout.folders[0],
    )
    pdf = rendered.pdf
    if layout.imposition == "saddle-stitch":
        pdf, _ = timed("write", impose_saddle_stitch, pdf, paper)
    timed("write", write_atomically, output, pdf)
    build_wall = time.perf_counter() - started
    peak_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    # The same HTML and stylesheets through WeasyPrint alone, as its own documentation
    # shows it (after our render, so it finds fonts warm: if anything, in its favour).
    begin = time.perf_counter()
    sheets = [weasyprint.CSS(string=f"@page {{ size: {size}; }}")]
    sheets += [weasyprint.CSS(filename=str(path)) for path in layout.stylesheets]
    base = layout.folders[0].as_uri() + "/"
    weasyprint.HTML(string=html, base_url=base).write_pdf(stylesheets=sheets)
    times["bare"] = time.perf_counter() - begin

    return {
        "guide": guide.name,
        "layout": layout.name,
        "pages": rendered.pages,
        "build_wall": build_wall,
        "peak_rss": peak_build,
        **times,
    }


if __name__ == "__main__":
    result = main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
    print(json.dumps(result))
