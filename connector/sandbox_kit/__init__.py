"""What every sandbox shares: one fault injector, one httpx transport, one control surface (JSON for tests,
an HTML page for people) and the loopback server (connector.sandbox_server). Names no channel."""
from .control import ControlSurface
from .faults import NETWORK_KINDS, FaultInjector
from .transport import SandboxTransport

__all__ = ["ControlSurface", "FaultInjector", "NETWORK_KINDS", "SandboxTransport"]
