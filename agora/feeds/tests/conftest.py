import os

import pytest

# The square's shared fixtures; `commits` is autouse: these tests need real commits (side effects run on commit).
from agora.social.testing import active_user, commits, png, png_bytes  # noqa: F401

# A scratch Redis database of the local server; another with AGORA_TEST_TIMELINE_REDIS, so that two
# suites running at once on one machine do not empty each other's.
TIMELINE_REDIS = os.environ.get("AGORA_TEST_TIMELINE_REDIS", "redis://127.0.0.1:6379/13")


@pytest.fixture
def timeline_redis(settings):
    """Timelines and the hot cache on a Redis database of their own, emptied before and after."""
    import redis

    r = redis.Redis.from_url(TIMELINE_REDIS)
    try:
        r.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    r.flushdb()
    settings.AGORA_TIMELINE_REDIS_URL = TIMELINE_REDIS
    yield r
    r.flushdb()
