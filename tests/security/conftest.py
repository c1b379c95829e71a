from tests.web.conftest import other  # noqa: F401  (the web tests' fixture)
