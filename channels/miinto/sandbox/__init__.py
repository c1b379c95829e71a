"""The Miinto sandbox: auth service + Order API + control surface (see core.MiintoSandbox)."""
from .core import MiintoSandbox

__all__ = ["MiintoSandbox"]
