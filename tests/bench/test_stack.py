"""The benchmarks' stack (bench/stack.py) reads a process's CPU time and memory correctly."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# bench/ holds scripts, not a package: load the script as a module of its own name.
SPEC = importlib.util.spec_from_file_location("bench_stack", ROOT / "bench" / "stack.py")
stack = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = stack
SPEC.loader.exec_module(stack)


def stat_line(comm: str, utime: int, stime: int) -> str:
    # Fields 3..13 of /proc/<pid>/stat, then utime (14) and stime (15), then the rest.
    middle = "S 1 1 1 0 -1 4194560 100 0 0 0"
    return f"4242 ({comm}) {middle} {utime} {stime} 0 0 20 0 4 0 1000 0 0"


def test_utime_and_stime_are_summed_in_seconds():
    ticks = stack.CLOCK_TICKS
    assert stack.stat_cpu_seconds(stat_line("gunicorn", 3 * ticks, ticks)) == 4.0


def test_a_command_name_with_spaces_and_parentheses_does_not_shift_the_fields():
    ticks = stack.CLOCK_TICKS
    line = stat_line("gunicorn: worker (photosite) x", 2 * ticks, 0)
    assert stack.stat_cpu_seconds(line) == 2.0


def test_this_process_cpu_time_grows_with_work_it_does():
    before = stack.cpu_seconds(os.getpid())
    spent = time.process_time()
    while time.process_time() - spent < 0.1:  # CPU work, not a wait
        sum(range(1000))
    assert stack.cpu_seconds(os.getpid()) > before


def test_resident_memory_of_a_live_process_and_of_a_gone_one():
    assert stack.rss_mib(os.getpid()) > 1
    assert stack.rss_mib(2**22 + 1) == 0.0  # above the kernel's pid limit: never a process
