"""Peak memory of a build that forks workers: the sum of the proportional set sizes (PSS) of this
process and all its descendants, sampled. PSS splits each shared page between the processes sharing it,
so a forked worker's copy-on-write pages are not counted twice (RSS would count them in both).

The sampler is a forked process, not a thread: the build forks its own workers only when it runs no other
thread (generator/parallel.py), and a sampling thread would make it keep to one core."""

from __future__ import annotations

import os
import resource
import select
from pathlib import Path


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory:
    """`with PeakMemory() as m: ...; m.peak_mb`: the highest sampled PSS sum of the process tree; where
    /proc has no smaps_rollup, the largest RSS of this process or of one waited-for child. The sampler is in
    the sum: it shares its pages with the build, and leaving it out would count only half of those."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval, self.peak_kb = interval, 0
        self.supported = Path(f"/proc/{os.getpid()}/smaps_rollup").is_file()

    def _sample(self, parent: int, stop: int, result: int) -> None:
        peak = 0
        while True:
            peak = max(peak, sum(pss_kb(p) for p in [parent, *descendants(parent)]))
            if select.select([stop], [], [], self.interval)[0]:  # the parent closed its end: done
                break
        os.write(result, str(peak).encode())

    def __enter__(self) -> "PeakMemory":
        if self.supported:
            stop_r, self._stop = os.pipe()
            self._result, result_w = os.pipe()
            parent = os.getpid()
            self._pid = os.fork()
            if self._pid == 0:
                try:
                    os.close(self._stop)
                    os.close(self._result)
                    self._sample(parent, stop_r, result_w)
                finally:
                    os._exit(0)
            os.close(stop_r)
            os.close(result_w)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.supported:
            os.close(self._stop)
            with os.fdopen(self._result) as result:
                self.peak_kb = int(result.read() or 0)
            os.waitpid(self._pid, 0)
        else:
            self.peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024
