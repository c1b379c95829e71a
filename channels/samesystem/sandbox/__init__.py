"""The SameSystem sandbox: the public API v1 (samesystem.apib), a CSV intake and a control surface."""
from .core import SameSystemSandbox

__all__ = ["SameSystemSandbox"]
