"""How pytest-xdist hands the suite to its workers: test by test, but never splitting what
would then be set up twice, and the longest work first.

xdist's default ("--dist load") sends tests in chunks regardless of module: a module whose
module-scoped fixtures are costly (a Lambda package build, a CloudFormation stack, a child
pytest) then sets them up on both workers, and the DynamoDB Local tests start a Java server on
each. Its "loadscope" and "loadfile" keep modules together but give whole modules to a worker,
which balances poorly, and lose tests that share a node id (test_api_fuzz's generated cases
all have one). `SpreadScheduling` is loadscope with a finer scope: one test, except the
modules and folders listed in TOGETHER, which go whole to one worker; every test of a scope
runs, duplicates of a node id included. `ordered` puts the longest scopes first, so that no
long test starts last while the other worker idles.

Browser tests mostly wait (for Chromium, for pages to arrive), so they run on half of the
workers (the browser lane) while the others keep the CPU busy with the rest; once one kind of
work runs out, its workers take the other. When all workers ran browser tests at once, the
machine idled through a third of that phase, and every worker started its own Chromium.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pytest
from xdist.scheduler import LoadScopeScheduling

# Kept on one worker: their module- or session-scoped fixtures are the costly part.
TOGETHER = (
    "tests/data/",  # Amazon DynamoDB Local, a Java server per worker session
    "tests/deploy/test_build_lambda.py",  # two Lambda packages
    "tests/deploy/test_stack_deploy.py",  # the stack deployed into the emulator
    "tests/deploy/test_two_instances.py",  # two gunicorn instances
    "tests/deploy/test_iam_recorded.py",  # the journeys, recorded in a child pytest
    "tests/accounts/test_hosted_ui.py",
    "tests/accounts/test_cognito.py",
    "tests/accounts/test_tokens.py",
    "tests/test_api_fuzz.py",  # generated cases share one node id
    "tests/gallery/test_heif.py",  # its HEICs (0.4 s of x265 each) are encoded once per process
)
# Started first, longest first (measured with --durations; a few seconds to a minute each).
FIRST = (
    "tests/deploy/test_iam_recorded.py",
    "tests/deploy/test_build_lambda.py",
    "tests/data/",
    "tests/photosite/test_runlocal.py",
    "tests/test_api_fuzz.py",  # one worker's 12 s: last, it ran alone while the others idled
    "tests/browser/",
    "tests/deploy/",
    "tests/test_forms_fuzz.py",
)


BROWSER = "tests/browser/"


def _matches(nodeid: str, prefix: str) -> bool:
    return nodeid.startswith(prefix)


def scope_of(nodeid: str) -> str:
    """Return the unit of work a test belongs to: its group, or the test itself."""
    for prefix in TOGETHER:
        if _matches(nodeid, prefix):
            return prefix
    return nodeid


def ordered(items: list[pytest.Item]) -> list[pytest.Item]:
    """Return the items with FIRST's at the front, in FIRST's order; the rest as collected."""

    def rank(item: pytest.Item) -> int:
        nodeid = item.nodeid
        return next((n for n, p in enumerate(FIRST) if _matches(nodeid, p)), len(FIRST))

    return sorted(items, key=rank)  # stable: collection order within a rank


def is_browser(scope: str) -> bool:
    return scope.startswith(BROWSER)


def browser_lane(nodes: list) -> list:
    """Return the workers that take browser tests first: half of them (none when alone)."""
    return nodes[: len(nodes) // 2]


def next_scope(queue: Iterable[str], *, wants_browser: bool, left: Counter) -> str:
    """Return the first scope of the queue of the kind a worker wants, else the first one.

    `left` counts the scopes of each kind still queued (by `is_browser`), so that a worker
    whose kind ran out takes the head of the queue without searching it.
    """
    scopes = iter(queue)
    first = next(scopes)
    if left[wants_browser] == 0 or is_browser(first) == wants_browser:
        return first
    return next((scope for scope in scopes if is_browser(scope) == wants_browser), first)


class SpreadScheduling(LoadScopeScheduling):
    """loadscope with `scope_of`'s scopes, in collection order, duplicates of a node id run."""

    def __init__(self, config: pytest.Config, log=None) -> None:
        super().__init__(config, log)
        # Collection order is already the order we want (see `ordered`).
        config.option.loadscopereorder = False
        self._lane: set | None = None
        self._left: Counter = Counter()
        self._indexes: defaultdict[str, list[int]] = defaultdict(list)

    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)

    def _assign_work_unit(self, node) -> None:
        if self._lane is None:  # the first assignment: every worker has collected
            self._lane = set(browser_lane(self.nodes))
            self._indexes = defaultdict(list)
            for index, nodeid in enumerate(self.collection or ()):
                self._indexes[nodeid].append(index)
        if sum(self._left.values()) != len(self.workqueue):  # first, or a crash requeued work
            self._left = Counter(is_browser(scope) for scope in self.workqueue)
        scope = next_scope(self.workqueue, wants_browser=node in self._lane, left=self._left)
        work_unit = self.workqueue.pop(scope)
        self._left[is_browser(scope)] -= 1
        self.assigned_work.setdefault(node, {})[scope] = work_unit
        pending = [nodeid for nodeid, done in work_unit.items() if not done]
        # Every index of a pending node id: the base class sends only the first of each.
        node.send_runtest_some(sorted({i for nodeid in pending for i in self._indexes[nodeid]}))
