"""Peak memory of a build that forks workers: the sum of the proportional set sizes (PSS) of this
process and all its descendants, sampled. PSS splits each shared page between the processes sharing it,
so a forked worker's copy-on-write pages are not counted twice (RSS would count them in both)."""

from __future__ import annotations

import os
import resource
import threading
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
    /proc has no smaps_rollup, the largest RSS of this process or of one waited-for child."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval, self.peak_kb = interval, 0
        self.supported = Path(f"/proc/{os.getpid()}/smaps_rollup").is_file()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(pss_kb(p) for p in [me, *descendants(me)]))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        if self.supported:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.supported:
            self._stop.set()
            self._thread.join()
        else:
            self.peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024
