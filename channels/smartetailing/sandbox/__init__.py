"""The SmartEtailing sandbox: the XML order service (feeds.cfc), the POS FTP, and a control surface."""
from .core import SmartEtailingSandbox

__all__ = ["SmartEtailingSandbox"]
