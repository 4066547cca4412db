"""Work on the second core: run a function in a forked process while this one goes on.

The machine the docs are built on has two cores and mkdocs uses one. A forked child shares the already
loaded catalog (copy-on-write), so nothing is pickled on the way in; only the result comes back.
Where fork is unavailable, or EMPIRIOLABS_JOBS=1, the function runs inline when its result is asked for."""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from generator.problems import BuildError


def available() -> bool:
    return (
        os.environ.get("EMPIRIOLABS_JOBS") != "1"
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "darwin"
    )


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
