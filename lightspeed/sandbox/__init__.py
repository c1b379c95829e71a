"""A faithful in-memory simulator of the Lightspeed Retail (R-Series) API. See docs/lightspeed-sandbox.md."""
from .core import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URI, LightspeedSandbox

__all__ = ["LightspeedSandbox", "DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "DEMO_REDIRECT_URI"]
