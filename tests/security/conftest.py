from tests.web.conftest import other, owner, owner_client  # noqa: F401  (the web tests' fixtures)
