"""The sandbox's SFTP intake (PROVISIONAL transport: SameSystem names no CSV delivery channel): a real SFTP
server on 127.0.0.1 (asyncssh), password login, a private directory per server; every file written is
handed to the sandbox's CSV intake when it is closed (or, for a `.part`, once renamed), so its rows and
errors show on the control page.

    server = SftpIntake(sandbox, port=0).start()     # port 0: a free one
    server.port, server.user, server.password, server.host_key
    server.stop()
"""
import asyncio
import hashlib
import tempfile
import threading
from pathlib import Path


class SftpIntake:
    def __init__(self, sandbox, *, port=0, user="samesystem", password=None):
        self.sandbox, self.port, self.user = sandbox, port, user
        self.password = password or "sftp-" + hashlib.sha256(f"sftp-{sandbox.seed}".encode()).hexdigest()[:16]
        self.root = Path(tempfile.mkdtemp(prefix="samesystem-sftp-"))
        self.uploads = []  # {"name", "rows", "errors"} per file received
        self._loop = self._server = None
        self.host_key = ""
        self._ready = threading.Event()

    def start(self):
        threading.Thread(target=self._run, name="samesystem-sftp", daemon=True).start()
        if not self._ready.wait(20):
            raise RuntimeError("the SFTP intake did not start")
        if isinstance(self._server, Exception):
            raise self._server
        return self

    def stop(self):
        if self._loop:
            self._loop.call_soon_threadsafe(self._loop.stop)

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(self._listen())
            self.port = self._server.sockets[0].getsockname()[1]
        except Exception as exc:  # noqa: BLE001  reported by start()
            self._server = exc
        self._ready.set()
        if not isinstance(self._server, Exception):
            self._loop.run_forever()

    async def _listen(self):
        import asyncssh

        intake = self

        class Auth(asyncssh.SSHServer):
            def begin_auth(self, username):
                return True

            def password_auth_supported(self):
                return True

            def validate_password(self, username, password):
                return username == intake.user and password == intake.password

        class Files(asyncssh.SFTPServer):
            def __init__(self, chan):
                super().__init__(chan, chroot=str(intake.root).encode())
                self.written = {}

            def open(self, path, pflags, attrs):
                handle = super().open(path, pflags, attrs)
                if pflags & asyncssh.FXF_WRITE:
                    self.written[id(handle)] = self.map_path(path)
                return handle

            def close(self, file_obj):
                super().close(file_obj)
                local = self.written.pop(id(file_obj), None)
                if local is not None and not local.endswith(b".part"):  # a .part is read once renamed
                    intake.received(Path(local.decode()))

            def rename(self, oldpath, newpath):
                super().rename(oldpath, newpath)
                intake.received(Path(self.map_path(newpath).decode()))

            def posix_rename(self, oldpath, newpath):
                super().posix_rename(oldpath, newpath)
                intake.received(Path(self.map_path(newpath).decode()))

        key = asyncssh.generate_private_key("ssh-ed25519")
        self.host_key = key.export_public_key().decode().strip()  # what an owner pastes as the host key
        return await asyncssh.create_server(Auth, "127.0.0.1", self.port, server_host_keys=[key],
                                            sftp_factory=Files, allow_scp=False)

    def received(self, path):
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        with self.sandbox.lock:
            result = self.sandbox.csv_import(text)
        self.uploads.append({"name": path.name, "rows": result["rows"], "errors": result["errors"]})
