"""A task for tests/deploy/test_zappa.py: it must live at module level, like a real one."""

from core.tasks import task

DONE: list[str] = []


@task
def thumbnail_make(*, photo_id: str) -> str:
    """Record that the work ran, as a thumbnail task would write to S3."""
    DONE.append(photo_id)
    return f"made {photo_id}"
