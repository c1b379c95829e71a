"""The POS FTP: a real FTP server (pyftpdlib) on loopback. One account (the merchant's 4-digit FTP
account number and its password); every file stored is handed to the sandbox's UploadStore and kept on
disk (`FtpServer.root`) so tests and the demo can read it back."""
import logging
import tempfile
import threading
from pathlib import Path

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

logging.getLogger("pyftpdlib").setLevel(logging.WARNING)


class FtpServer:
    def __init__(self, sandbox, *, host="127.0.0.1", port=0, root=None):
        self.sandbox = sandbox
        self.root = Path(root or tempfile.mkdtemp(prefix="smartetailing-ftp-"))
        authorizer = DummyAuthorizer()
        authorizer.add_user(sandbox.ftp_user, sandbox.ftp_password, str(self.root), perm="elradfmw")
        handler = type("SandboxFtpHandler", (FTPHandler,), {
            "authorizer": authorizer, "banner": "SmartEtailing POS FTP sandbox ready.",
            "on_file_received": _on_file_received(sandbox),
        })
        self.server = FTPServer((host, port), handler)
        self.port = self.server.socket.getsockname()[1]
        self.thread = None
        self.stopping = False

    def start(self):
        self.thread = threading.Thread(target=self._run, name="smartetailing-ftp", daemon=True)
        self.thread.start()

    def _run(self):
        try:
            self.server.serve_forever(timeout=0.2, handle_exit=False)
        except (OSError, ValueError):
            if not self.stopping:  # closing the sockets under a running loop is how it stops
                raise

    def serve(self):
        self.server.serve_forever(timeout=0.5)

    def stop(self):
        self.stopping = True
        self.server.close_all()
        if self.thread:
            self.thread.join(timeout=5)


def _on_file_received(sandbox):
    def on_file_received(handler, file):
        path = Path(file)
        sandbox.uploads.receive(path.name, path.read_bytes(), at=sandbox.clock.time())
    return on_file_received
