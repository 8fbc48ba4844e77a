"""How many threads the kernels may use: the CPUs this process may run on."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """CPUs this process may run on, at least 1.

    ``os.cpu_count()`` counts the machine's CPUs, also where the process is confined to
    fewer (``taskset``, a container's cpuset, a batch scheduler's allocation): threads
    beyond those only take turns. The affinity mask says how many it may use (Python
    3.13's ``os.process_cpu_count``; ``os.sched_getaffinity`` on Linux before that);
    elsewhere, the machine's count. A CPU quota without a cpuset (``cpu.max``) is not
    seen by either.
    """
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # no affinity masks on this system
        return os.cpu_count() or 1
