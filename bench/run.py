"""`make bench`: how fast and how big, at 1×, 10× and 50× the flagship guide.

Prints a table and writes it, with the targets, to bench/results.md, and plots seconds
against pages to bench/seconds-per-page.png. Not part of the test suite: timings belong
here, where a slow machine makes a slow number, not a failed build.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.generate import FLAGSHIP, generate  # noqa: E402

PYTHON = sys.executable
GUIDE = [PYTHON, "-m", "guide"]
# BENCH_SIZES="1 10" for a quicker look; the targets are judged on the largest size run.
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "1 10 50").split())
LAYOUT = "student"
MiB = 1024 * 1024


def _run(command: list[str], cwd: Path = ROOT) -> float:
    """Wall seconds of a command that must succeed."""
    begin = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - begin


def _best(command: list[str], runs: int = 3, cwd: Path = ROOT) -> float:
    # The best of a few: the machine's noise only ever adds time.
    return min(_run(command, cwd) for _ in range(runs))


def measure_sizes(work: Path) -> list[dict]:
    rows = []
    for size in SIZES:
        guide = FLAGSHIP if size == 1 else generate(size, work / f"moon-race-{size}x")
        print(f"building {size}× …", flush=True)
        output = subprocess.run(
            [PYTHON, str(BENCH / "measure_build.py"), str(guide), LAYOUT, str(work / "out.pdf")],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(output.splitlines()[-1])
        row["size"] = size
        row["check"] = _best([*GUIDE, "check", "-q", str(guide)])
        rows.append(row)
    return rows


def measure_parallel(work: Path) -> dict:
    print("building every layout, one after another and in parallel …", flush=True)
    command = [*GUIDE, "build", str(FLAGSHIP), "--layout", "all", "-q"]
    serial = _run([*command, "-j", "1"], cwd=work)
    parallel = _run(command, cwd=work)
    return {"serial": serial, "parallel": parallel, "cores": len(os.sched_getaffinity(0))}


def measure_watch(guide: Path, edited: str) -> float:
    """Seconds from saving one edited summary to `guide watch` announcing the new PDF, at
    best of three edits of `edited` (a sections file of `guide`, which this changes)."""
    print(f"guide watch: a rebuild of {guide.name} after one edit …", flush=True)
    target = guide.parent / f"{guide.name}-watched.pdf"
    process = subprocess.Popen(
        [*GUIDE, "watch", str(guide), "-o", str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    sections = guide / edited
    original = sections.read_text(encoding="utf-8")
    rebuilds = []
    try:
        for line in process.stdout:
            if line.startswith("watching"):
                break
        for attempt in range(3):
            words = "firmly" + " and steadily" * (attempt + 1)
            begin = time.perf_counter()
            sections.write_text(original.replace("firmly", words, 1), encoding="utf-8")
            for line in process.stdout:
                if line.startswith("built "):
                    rebuilds.append(time.perf_counter() - begin)
                    break
    finally:
        process.terminate()
        process.wait(timeout=30)
        sections.write_text(original, encoding="utf-8")
    return min(rebuilds)


def measure_watches(work: Path) -> dict:
    """The warm rebuild against a cold `guide build` of the same guide, at 1× (the target)
    and, when the run has it, 10× (the stretch: under a second)."""
    guide = work / "watched"
    shutil.copytree(FLAGSHIP, guide)
    cold = _best([*GUIDE, "build", str(guide), "-o", str(work / "cold.pdf"), "-q"], runs=2)
    watched = {"cold": cold, "warm": measure_watch(guide, "sections/space-race.yaml")}
    large = work / "moon-race-10x"
    if large.exists():
        watched["warm_10x"] = measure_watch(large, "sections/space-race-5.yaml")
    return watched


def measure_noop_make() -> float:
    print("make with nothing changed …", flush=True)
    subprocess.run(["make", "--no-print-directory"], cwd=ROOT, check=True, capture_output=True)
    return _best(["make", "--no-print-directory"], runs=5)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / MiB:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import weasyprint

    return (
        f"{len(os.sched_getaffinity(0))} cores of {cpu}{memory}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; WeasyPrint "
        f"{weasyprint.__version__}"
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(rows: list[dict], parallel: dict, noop: float, watched: dict) -> str:
    lines = [
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {_machine()}.",
        "",
        f"Each guide built once with the `{LAYOUT}` layout in a fresh process. *ours* is the",
        "time spent outside WeasyPrint: loading, validating, merging, templating, writing.",
        "*bare* is WeasyPrint alone (`HTML(...).write_pdf()`) on the same HTML in the same",
        "process. *wall* is the whole `guide build` as a user waits for it, imports included.",
        "",
        "| guide | pages | wall (s) | s/page | peak RSS (MiB) | bare WeasyPrint (s) "
        "| ours (s) | ours/bare | `guide check` (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ours = row["load"] + row["html"] + row["write"]
        lines.append(
            f"| {row['size']}× flagship | {row['pages']} | {row['build_wall']:.1f} "
            f"| {row['build_wall'] / row['pages']:.3f} | {row['peak_rss'] / MiB:.0f} "
            f"| {row['bare']:.1f} | {ours:.2f} | {ours / row['bare']:.1%} "
            f"| {row['check']:.2f} |"
        )
    last = rows[-1]
    per_page = [r["build_wall"] / r["pages"] for r in rows]
    scaling = per_page[-1] / per_page[0]
    worst_overhead = max((r["load"] + r["html"] + r["write"]) / r["bare"] for r in rows)
    speedup = parallel["serial"] / parallel["parallel"]
    lines += [
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| our overhead ≤ 10% of bare WeasyPrint, every size | worst {worst_overhead:.1%} "
        f"| {_verdict(worst_overhead <= 0.10)} |",
        f"| s/page at {last['size']}× within 1.25× of s/page at 1× | {scaling:.2f}× "
        f"| {_verdict(scaling <= 1.25)} |",
        f"| peak RSS at {last['size']}× under 1.5 GiB | {last['peak_rss'] / MiB / 1024:.2f} GiB "
        f"| {_verdict(last['peak_rss'] < 1.5 * 1024 * MiB)} |",
        f"| no-op `make` under 0.3 s | {noop:.3f} s | {_verdict(noop < 0.3)} |",
        f"| `--layout all` ≥ 1.7× faster in parallel ({parallel['cores']} cores) "
        f"| {parallel['serial']:.1f} s → {parallel['parallel']:.1f} s, {speedup:.2f}× "
        f"| {_verdict(speedup >= 1.7)} |",
        f"| `guide check` on {last['size']}× under 1 s | {last['check']:.2f} s "
        f"| {_verdict(last['check'] < 1.0)} |",
        f"| `guide watch` rebuild ≤ 60% of a cold `guide build` (1×) | {watched['cold']:.1f} s → "
        f"{watched['warm']:.1f} s, {watched['warm'] / watched['cold']:.0%} "
        f"| {_verdict(watched['warm'] <= 0.6 * watched['cold'])} |",
    ]
    ten = next((r for r in rows if r["size"] == 10), None)
    if ten and "warm_10x" in watched:
        lines.append(
            f"| stretch: `guide watch` rebuild of the 10× guide ({ten['pages']} pages) under 1 s "
            f"| {ten['build_wall']:.1f} s → {watched['warm_10x']:.1f} s, "
            f"{watched['warm_10x'] / ten['build_wall']:.0%} | {_verdict(watched['warm_10x'] < 1)} |"
        )
    return "\n".join(lines) + "\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display on a build machine
    import matplotlib.pyplot as plt

    pages = [r["pages"] for r in rows]
    figure, axes = plt.subplots(figsize=(6.4, 4), dpi=150)
    axes.plot(pages, [r["build_wall"] for r in rows], "o-", label="guide build (wall)")
    axes.plot(pages, [r["bare"] for r in rows], "s--", label="WeasyPrint alone")
    for row in rows:
        axes.annotate(
            f"{row['size']}×",
            (row["pages"], row["build_wall"]),
            textcoords="offset points",
            xytext=(6, -12),
        )
    axes.set_xlabel("pages")
    axes.set_ylabel("seconds")
    sizes = ", ".join(f"{r['size']}×" for r in rows)
    axes.set_title(f"The {LAYOUT} layout at {sizes} the flagship guide")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="guide-bench-"))
    try:
        rows = measure_sizes(work)
        parallel = measure_parallel(work)
        watched = measure_watches(work)
        noop = measure_noop_make()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, parallel, noop, watched)
    (BENCH / "results.md").write_text(text, encoding="utf-8")
    plot(rows, BENCH / "seconds-per-page.png")
    print()
    print(text)
    print("wrote bench/results.md and bench/seconds-per-page.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
