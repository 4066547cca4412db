"""Work on the second core: run a function in a forked process while this one goes on.

The machine the docs are built on has two cores and mkdocs uses one. A forked child shares the already
loaded catalog (copy-on-write), so nothing is pickled on the way in; only the result comes back.
Where fork is unavailable, or EMPIRIOLABS_JOBS=1, the function runs inline when its result is asked for.

Nothing forks while this process runs another thread: a lock another thread holds at the fork stays held
in the child, forever. `serve` therefore does its rebuilds in a `Server`, forked before its HTTP server
and file watcher start their threads; under `mkdocs serve` (whose threads are already running when a
build starts) the work runs inline."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from generator.problems import BuildError


def unavailable() -> str | None:
    """Why work cannot go to a forked process now; None when it can."""
    if os.environ.get("EMPIRIOLABS_JOBS") == "1":
        return "EMPIRIOLABS_JOBS=1"
    if (os.cpu_count() or 1) < 2:
        return "one core"
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        return "no fork on this platform"
    if threading.active_count() > 1:
        return "this process runs other threads (a server, a file watcher): it does not fork"
    return None


def available() -> bool:
    return unavailable() is None


def _child(send: Any, fn: Callable[..., Any], args: tuple) -> None:
    try:
        send.send(("ok", fn(*args)))
    except BuildError as err:
        send.send(("problems", err.problems))
    except BaseException:  # noqa: BLE001 - the parent re-raises it with the child's traceback
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


class Background:
    """`fn(*args)` started now in a forked process; `result()` waits for it and returns its value,
    re-raising a BuildError with the child's problems."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.fn, self.args, self.proc = fn, args, None
        if available():
            ctx = multiprocessing.get_context("fork")
            self.recv, send = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
            self.proc.start()
            send.close()
            self.args = ()  # the child has them; let this process free them

    def result(self) -> Any:
        if self.proc is None:
            return self.fn(*self.args)
        try:
            kind, value = self.recv.recv()
        except EOFError:
            kind, value = "error", f"the worker process died (exit code {self.proc.exitcode})"
        finally:
            self.recv.close()
            self.proc.join()
        if kind == "problems":
            raise BuildError(value)
        if kind == "error":
            raise RuntimeError(f"background stage failed:\n{value}")
        return value

    def cancel(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()


class Server:
    """`fn()` run on each `call()` in a process forked now, before this one starts any thread, so that the
    work it forks in turn is forked from a process with one thread (see the module's docstring). Where
    nothing can fork, `call()` runs `fn()` inline. `close()` ends the process."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn, self.proc = fn, None
        if available():
            ctx = multiprocessing.get_context("fork")
            self.conn, child = ctx.Pipe()
            # not a daemon: a daemon may not start the workers fn() starts
            self.proc = ctx.Process(target=_serve, args=(child, fn), daemon=False)
            self.proc.start()
            child.close()

    def call(self) -> Any:
        if self.proc is None:
            return self.fn()
        self.conn.send(True)
        try:
            kind, value = self.conn.recv()
        except EOFError:
            kind, value = "error", f"the build process died (exit code {self.proc.exitcode})"
        if kind == "problems":
            raise BuildError(value)
        if kind == "error":
            raise RuntimeError(f"build process failed:\n{value}")
        return value

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.conn.send(False)
            except OSError:
                pass
            self.proc.join(timeout=10)
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join()
            self.conn.close()
            self.proc = None


def _serve(conn: Any, fn: Callable[[], Any]) -> None:
    try:
        while conn.recv():
            try:
                conn.send(("ok", fn()))
            except BuildError as err:
                conn.send(("problems", err.problems))
            except Exception:  # noqa: BLE001 - the caller re-raises it with this traceback
                conn.send(("error", traceback.format_exc()))
    except (EOFError, KeyboardInterrupt):  # the caller is gone, or Ctrl-C reached the whole group
        pass
    finally:
        conn.close()
