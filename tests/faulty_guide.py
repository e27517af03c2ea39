"""`guide`, with a fault injected where GUIDE_FAULT says: the command tests/test_faults.py runs.

GUIDE_FAULT is `key=value` pairs joined by `;`:
- `at=load|render|write|renamed`: on reaching that moment (loading the guide, in a worker;
  laying out a layout, in a worker; half-way through writing the PDF; just after the PDF is
  renamed into place), write the moment's name and a newline to descriptor `notify`, then wait
  until descriptor `resume` is readable (or 60 s), so that the test can act at that moment.
- `die=LAYOUT:SIGNAL`: the worker laying out LAYOUT kills itself with SIGNAL.
- `disk=full`: every write of an output file fails as on a full disk (ENOSPC).
- `named=1`: write through a named temporary file, as where nameless files cannot be had.

Each moment is met once per process; a worker forked after the parent met it meets it again.
"""

from __future__ import annotations

import errno
import os
import select
import signal
import sys
import time

import guide.build
import guide.output
from guide.cli import main

FAULT = dict(item.split("=", 1) for item in os.environ.get("GUIDE_FAULT", "").split(";") if item)
_met: set[str] = set()


def _moment(name: str) -> None:
    if FAULT.get("at") != name or name in _met:
        return
    _met.add(name)
    os.write(int(FAULT["notify"]), f"{name}\n".encode())
    if "resume" in FAULT:
        select.select([int(FAULT["resume"])], [], [], 60)
    else:
        time.sleep(60)


def _install() -> None:
    load_guide, render = guide.build.load_guide, guide.build.render
    fill, write = guide.output._fill, guide.output._write

    def loading(*args, **kwargs):
        _moment("load")
        return load_guide(*args, **kwargs)

    def rendering(guide_, asked, *args, **kwargs):
        if "die" in FAULT:
            layout, name = FAULT["die"].split(":")
            if asked.layout == layout:
                os.kill(os.getpid(), signal.Signals[name])
                time.sleep(10)  # a signal that does not end it at once
        _moment("render")
        return render(guide_, asked, *args, **kwargs)

    def filling(descriptor: int, path, data: bytes) -> None:
        if FAULT.get("disk") == "full":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if path.suffix == ".pdf" and FAULT.get("at") == "write" and "write" not in _met:
            os.write(descriptor, data[: len(data) // 2])
            _moment("write")
            os.lseek(descriptor, 0, os.SEEK_SET)
            os.ftruncate(descriptor, 0)
        fill(descriptor, path, data)

    def writing(path, data: bytes) -> None:
        write(path, data)
        if path.suffix == ".pdf":
            _moment("renamed")

    guide.build.load_guide, guide.build.render = loading, rendering
    guide.output._fill, guide.output._write = filling, writing
    if FAULT.get("named"):
        guide.output._write_nameless = lambda folder, path, data: False


if __name__ == "__main__":
    _install()
    sys.exit(main(sys.argv[1:]))
