"""Run each step of a build in a child process that the parent stops from outside.

A guide or a layout from someone else decides how much work a build does: a template can loop
for ever, CSS can ask for a table of a million rows, a word of a million letters can make
hyphenation run away. A time limit kept by the process doing the work cannot stop it inside C
(Pango laying out a line, a regular expression, a big integer), and a process that has eaten
the machine's memory cannot be asked to give it back. So the work runs in a forked child:
the kernel holds the child's address space to a cap (RLIMIT_AS), and the parent, which only
waits, kills the child at the deadline, whatever it is doing. The child never writes an
output file: it sends its result back through a pipe, so a child killed half-way leaves no
file behind and the last good PDF stays as it was.

While it works the child sends notes of what it is doing (the file it is loading, the layout
whose templates or pages it is working on) and, just before the deadline, the template line
it is running, if any; the parent names that in its error. The child also dies with its
parent (PR_SET_PDEATHSIG), so a killed `guide` leaves no worker behind.
"""

from __future__ import annotations

import ctypes
import math
import os
import pickle
import resource
import select
import signal
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GuideError, Problem, os_problem

DEFAULT_SECONDS = 300.0
# A 1000-page guide peaks under 2 GiB of address space; 4 GiB is room for that and a stop
# for a runaway.
DEFAULT_MEMORY = 4 * 2**30
_HEADER = struct.Struct("!Q")
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@dataclass(frozen=True)
class Limits:
    """What one step may take: seconds of wall time and bytes of address space (None: no cap)."""

    seconds: float = DEFAULT_SECONDS
    memory: int | None = DEFAULT_MEMORY


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Doing:
    """What a child said it is doing, for the error if it has to be stopped."""

    what: str  # "loading the guide", "layout 'evil': its templates"
    path: Path | None = None  # the file responsible
    line: int | None = None
    hint: str = "look for an endless loop or a huge file"


def _at_line(doing: Doing, where: tuple[Path, int]) -> Doing:
    """The same doing, at the template line the child said it is running."""
    path, line = where
    return Doing(doing.what, path, line, hint=doing.hint)


class Child:
    """What a call running in a worker is given first: a way to say what it is doing, and a
    dict the worker keeps from one call to the next (a warm `guide watch` keeps its last
    layout there)."""

    def __init__(self, replies: int):
        self._replies = replies
        self.kept: dict[str, Any] = {}

    def doing(self, doing: Doing) -> None:
        _send(self._replies, ("doing", doing))


class WorkerBug(RuntimeError):
    """A bug in our own code, raised in a worker: `kind` is its exception's type, the message
    its own, and `child_traceback` the worker's traceback."""

    def __init__(self, kind: str, message: str, child_traceback: str):
        self.kind, self.child_traceback = kind, child_traceback
        super().__init__(message)


class Worker:
    """A forked child that runs calls one after another, each under the limits.

    `call` runs one and waits; `start` and `finish` let a caller wait on several workers at
    once (see `run_all`). A worker that had to be stopped is dead: make another.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS):
        self.limits = limits
        request_read, self._requests = os.pipe()
        self._replies, reply_write = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        # Ctrl-C, kill and a closed terminal wait until the fork is done: arriving during it,
        # their handler would run inside an at-fork callback (logging's), which swallows the
        # KeyboardInterrupt it raises, and the build would never stop.
        unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
            raise
        if self.pid == 0:  # the child: it never returns from here
            os.close(self._requests)
            os.close(self._replies)
            _serve(request_read, reply_write, limits, parent, unblocked)
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        os.close(request_read)
        os.close(reply_write)
        self._buffer = bytearray()
        self.doing = Doing("starting")
        self.deadline: float | None = None
        self.alive = True

    def fileno(self) -> int:
        return self._replies

    def start(self, function: Callable[..., Any], *args: Any, doing: Doing) -> None:
        """Send a call: `function(child, *args)` runs in the worker (see `Child`); `doing`
        names what it does until the call says more. `function` must be importable by name."""
        self.doing = doing
        self.deadline = time.monotonic() + self.limits.seconds
        _send(self._requests, (function, args, self.limits.seconds))

    def call(self, function: Callable[..., Any], *args: Any, doing: Doing) -> Any:
        """Run `function(child, *args)` in the worker and return its result, or raise
        GuideError: its own, or the deadline's, or the memory cap's."""
        self.start(function, *args, doing=doing)
        while True:
            # start() set it; only an outcome clears it, and that returns.
            assert self.deadline is not None
            remaining = self.deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(0.0, remaining))
            outcome = self.receive() if ready else self.expire()
            if outcome is not None:
                return outcome.result()

    def receive(self) -> _Outcome | None:
        """Read what the child sent; the outcome once its call is done (or it died)."""
        try:
            chunk = os.read(self._replies, 1 << 20)
        except InterruptedError:
            return None
        if not chunk:
            return self._died()
        self._buffer += chunk
        while len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            if len(self._buffer) < _HEADER.size + size:
                break
            message = pickle.loads(bytes(self._buffer[_HEADER.size : _HEADER.size + size]))
            del self._buffer[: _HEADER.size + size]
            kind, value = message
            if kind == "doing":
                self.doing = value
            elif kind == "where":  # the template line it is running, just before the deadline
                self.doing = _at_line(self.doing, value)
            else:
                if kind == "memory" and value is not None:  # the template line that asked
                    self.doing = _at_line(self.doing, value)
                self.deadline = None
                return _Outcome(kind, value, self)
        return None

    def expire(self) -> _Outcome | None:
        """Kill the child if its deadline has passed; the outcome that says so."""
        if self.deadline is None or time.monotonic() < self.deadline:
            return None
        self.kill()
        return _Outcome("timeout", None, self)

    def kill(self) -> None:
        if self.alive:
            self.alive = False
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
            os.close(self._requests)
            os.close(self._replies)

    def close(self) -> None:
        """Tell an idle child to end, and wait for it. (Told, not left to see the end of its
        requests: a worker forked later holds a copy of this one's pipe.)"""
        if self.alive:
            self.alive = False
            try:
                _send(self._requests, None)
            except BrokenPipeError:
                pass
            os.close(self._requests)
            self._reap()
            os.close(self._replies)

    def _reap(self) -> int:
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return 0

    def _died(self) -> _Outcome:
        self.alive = False
        status = self._reap()
        os.close(self._requests)
        os.close(self._replies)
        return _Outcome("died", status, self)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is None:
            self.close()
        else:
            self.kill()


@dataclass
class _Outcome:
    kind: str  # done, error, memory, bug, timeout, died
    value: Any
    worker: Worker

    def result(self) -> Any:
        if self.kind == "done":
            return self.value
        if self.kind == "error":
            raise GuideError(self.value)
        raise GuideError([self.problem()])

    def problem(self) -> Problem:
        doing, limits = self.worker.doing, self.worker.limits
        if self.kind == "timeout":
            message = f"{doing.what} took longer than {limits.seconds:g} s and was stopped"
            hint = f"{doing.hint}, or raise --time-limit"
        elif self.kind == "memory":
            cap = _size(limits.memory) if limits.memory else "the memory it could get"
            message = f"{doing.what} needed more than {cap} of memory and was stopped"
            hint = f"{doing.hint}, or raise --memory-limit"
        elif self.kind == "died":
            message = f"{doing.what} stopped: {_status(self.value)}"
            hint = (
                f"if it ran out of the {_size(limits.memory)} of memory it may use, raise "
                "--memory-limit; if not, please report it with the guide and layout"
                if limits.memory
                else "please report it, with the guide and layout"
            )
        else:
            raise WorkerBug(*self.value)
        return Problem(doing.path, doing.line, None, message, hint)


def run_all(
    calls: Iterable[tuple[Callable[..., Any], tuple, Doing]],
    jobs: int,
    limits: Limits,
) -> Iterator[tuple[int, Any | list[Problem]]]:
    """Run calls in up to `jobs` workers at once; yield (index of the call, result or the
    problems that stopped it) as each finishes."""
    pending = list(enumerate(calls))
    pending.reverse()
    running: dict[Worker, int] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                index, (function, args, doing) = pending.pop()
                worker = Worker(limits)
                worker.start(function, *args, doing=doing)
                running[worker] = index
            deadlines = [w.deadline for w in running if w.deadline is not None]
            wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready, _, _ = select.select(list(running), [], [], wait)
            for worker in list(running):
                outcome = worker.receive() if worker in ready else worker.expire()
                if outcome is None:
                    continue
                index = running.pop(worker)
                worker.close()
                try:
                    yield index, outcome.result()
                except GuideError as error:
                    yield index, error.problems
    finally:
        for worker in running:
            worker.kill()


# --- the child ------------------------------------------------------------------------------


def _serve(
    requests: int,
    replies: int,
    limits: Limits,
    parent: int,
    unblocked: set[int | signal.Signals],
) -> None:
    """The child's life: run each call sent, send back its outcome, end when the parent does."""
    code = 0
    try:
        _die_with_parent(parent)
        # The parent decides what Ctrl-C or a closed terminal means, and stops the workers
        # itself; if it dies instead, so do they (above).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        # The parent may draw progress lines through rich, whose stand-ins for the streams sit
        # behind a lock its drawing thread may have held at the fork: use the real streams.
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        if limits.memory:
            resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
        # A worker that crashes is reported as that layout's failure; a core dump of it would
        # only leave gigabytes in the user's folder.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        child = Child(replies)
        while (request := _receive(requests)) is not None:
            function, args, seconds = request
            watchdog = _Watchdog(seconds, lambda where: _send(replies, ("where", where)))
            try:
                reply = ("done", function(child, *args))
            except GuideError as error:
                # As data: an exception's pickle would lose them.
                reply = ("error", error.warnings + error.problems)
            except OSError as error:  # the machine's, not the input's: a file it cannot read
                reply = ("error", [os_problem(error)])
            except MemoryError as error:
                reply = ("memory", _template_line(_innermost(error.__traceback__)))
            except Exception as error:
                reply = ("bug", (type(error).__name__, str(error), traceback.format_exc()))
            finally:
                watchdog.cancel()
            _send(replies, reply)
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _die_with_parent(parent: int) -> None:
    """Be killed when the parent dies, however it dies (Linux); elsewhere, the parent's
    kill() at its deadline is all there is."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(70)


class _Watchdog:
    """Near the deadline, say which template line the child is running, if any: a thread can
    read the main thread's stack whenever that runs Python code (a template loop does); stuck
    in C, it never gets the chance, and the error names the layout. It looks every tenth of a
    second over the last half of the time (sending only a line that changed), not once: on a
    busy machine the child may still be loading the guide at any one moment, and reach the
    template's loop only after it."""

    EVERY = 0.1  # seconds

    def __init__(self, seconds: float, send: Callable[[tuple[Path, int]], None]):
        main = threading.main_thread().ident
        self._stopped = threading.Event()

        def look() -> None:
            if self._stopped.wait(seconds / 2):
                return
            last = None
            while not self._stopped.is_set():
                frame = sys._current_frames().get(main) if main is not None else None
                where = _template_line(frame)
                if where is not None and where != last:
                    send(where)
                    last = where
                self._stopped.wait(self.EVERY)

        self._thread = threading.Thread(target=look, daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop looking, and wait until a line being sent is sent: the call's reply, which
        follows, may be larger than a pipe writes at once, and must not be cut by one. (The
        line and the call's "doing" notes are small: each one write, which a pipe keeps
        whole.)"""
        self._stopped.set()
        self._thread.join()


def _innermost(trace):
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return trace.tb_frame if trace is not None else None


def _template_line(frame) -> tuple[Path, int] | None:
    """(template file, line) of the innermost frame running a compiled Jinja2 template."""
    while frame is not None:
        # Code compiled from a template keeps Jinja2's map from its lines to the template's.
        debug_info = frame.f_globals.get("debug_info")
        if isinstance(debug_info, str) and "environment" in frame.f_globals:
            pairs = [tuple(map(int, pair.split("="))) for pair in debug_info.split("&") if pair]
            line = next((t for t, code in reversed(pairs) if code <= frame.f_lineno), 1)
            return Path(frame.f_code.co_filename), line
        frame = frame.f_back
    return None


# --- the pipe -------------------------------------------------------------------------------


def _send(descriptor: int, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(descriptor, view) :]


def _receive(descriptor: int) -> Any | None:
    header = _read_exactly(descriptor, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    body = _read_exactly(descriptor, size)
    return None if body is None else pickle.loads(body)


def _read_exactly(descriptor: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(descriptor, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --- words for an ending --------------------------------------------------------------------


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        # SIGKILL we did not send comes from the kernel's out-of-memory killer, or a person.
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"ended with exit code {os.waitstatus_to_exitcode(status)}"


def _size(limit: int) -> str:
    return f"{limit / 2**30:g} GiB" if limit >= 2**30 else f"{limit // 2**20} MiB"


def parse_size(text: str) -> int:
    """'4', '4G', '512M' or '4GiB' as bytes (a bare number is GiB)."""
    written = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = {"G": 2**30, "M": 2**20}.get(written[-1:], None)
    number = float(written[:-1] if unit else written)
    if not 0 < number < math.inf:
        raise ValueError(text)
    return int(number * (unit or 2**30))
