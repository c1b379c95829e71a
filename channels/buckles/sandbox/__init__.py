"""The Buckles sandbox: the PROVISIONAL API we call, the events it sends us, and a control surface
(see core.BucklesSandbox). Built to docs/buckles.md, not to our client."""
from .core import BucklesSandbox

__all__ = ["BucklesSandbox"]
