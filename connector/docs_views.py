"""The API docs pages under the strict Content-Security-Policy."""
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


# Swagger UI with its start-up script served as a file (the split view): scripts stay strict. Both
# tools' pages carry (Swagger) or inject (Redoc) styles inline, so these two pages allow inline styles.
_inline_styles = csp_update({"style-src": [UNSAFE_INLINE]})
docs_view = _inline_styles(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))
redoc_view = _inline_styles(SpectacularRedocView.as_view(url_name="api:schema"))
