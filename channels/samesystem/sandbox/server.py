"""`python manage.py sandbox samesystem --port PORT`: SameSystem API v1 on 127.0.0.1 (at /api/v1).

Prints the API user as `email: …` and `password: …` lines (a contract: the demo and scripts read them).
"""
from connector.sandbox_server import wsgi_serve

from .core import SameSystemSandbox


def add_arguments(parser):
    parser.add_argument("--seed", type=int, default=1, help="deterministic seed (the API user's password)")
    parser.add_argument("--sftp-port", type=int, default=None,
                        help="SFTP intake port (default: PORT + 1; 0 for a free one; -1: none)")


def serve(stdout, port, **options):
    sandbox = SameSystemSandbox(seed=options.get("seed") or 1)
    base = f"http://127.0.0.1:{port}"
    sftp = _sftp_start(sandbox, int(port), options.get("sftp_port"))
    departments = "".join(f"department: {ctx} {d['name']} (dpt_no {d['dpt_no']}, {d['register_count']} register(s))\n"
                          for ctx, d in sandbox.departments.items())
    banner = (f"SameSystem sandbox on {base} (API {base}/api/v1; CSV intake {base}/sim/pos-import; "
              f"control surface {base}/sandbox/)\nemail: {sandbox.email}\npassword: {sandbox.password}\n"
              f"{departments}{_sftp_banner(sftp)}")
    wsgi_serve(sandbox.wsgi_app, port=port, banner=banner, stdout=stdout)


def _sftp_start(sandbox, port, sftp_port):
    if sftp_port == -1:
        return None
    try:
        from .sftp import SftpIntake

        return SftpIntake(sandbox, port=port + 1 if sftp_port is None else sftp_port).start()
    except ImportError:  # asyncssh not installed: the HTTP intake still works
        return None


def _sftp_banner(sftp):
    if sftp is None:
        return "sftp: not running (install asyncssh)\n"
    return f"sftp_port: {sftp.port}\nsftp_user: {sftp.user}\nsftp_password: {sftp.password}\n"
