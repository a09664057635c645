# The square's shared fixtures; `commits` is autouse: these tests need real commits (side effects run on commit).
from agora.social.testing import active_user, commits, png, png_bytes  # noqa: F401
