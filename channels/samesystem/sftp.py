"""Upload the hourly CSV by SFTP (asyncssh), when the owner configured a server. Password login; the
server's host key is checked against the one the owner pasted (OpenSSH format) when given.

    csv_upload(settings=settings, name="samesystem-2026-06-01.csv", content=text)
"""
import asyncio
import posixpath

from connector.errors import ConfigError, TransientError

CONNECT_TIMEOUT = 30


async def _upload(*, host, port, user, password, host_key, directory, name, content):
    import asyncssh

    known_hosts = asyncssh.import_known_hosts(f"[{host}]:{port} {host_key}\n{host} {host_key}") if host_key else None
    async with asyncssh.connect(host, port=port, username=user, password=password, known_hosts=known_hosts,
                                client_keys=None, connect_timeout=CONNECT_TIMEOUT) as connection:
        async with connection.start_sftp_client() as sftp:
            target = posixpath.join(directory or ".", name)
            async with sftp.open(target + ".part", "wb") as handle:
                await handle.write(content.encode("utf-8"))
            await sftp.posix_rename(target + ".part", target)  # SameSystem never reads half a file
    return target


def csv_upload(*, settings, name, content):
    """Write the file as `<name>.part`, then rename it. Wrong login or host key: ConfigError; network: transient."""
    import asyncssh

    try:
        return asyncio.run(_upload(host=settings.sftp_host, port=settings.sftp_port or 22, user=settings.sftp_user,
                                   password=settings.sftp_password, host_key=settings.sftp_host_key.strip(),
                                   directory=settings.sftp_directory, name=name, content=content))
    except (asyncssh.PermissionDenied, asyncssh.HostKeyNotVerifiable) as exc:
        raise ConfigError(f"The SFTP server refused the upload ({exc.reason}): check the SFTP user, password and "
                          f"host key on the SameSystem page") from None
    except asyncssh.SFTPError as exc:
        raise ConfigError(f"The SFTP server refused the file: {exc.reason}") from None
    except (OSError, asyncssh.Error, asyncio.TimeoutError) as exc:
        raise TransientError(f"SFTP upload to {settings.sftp_host} failed: {exc}") from None
