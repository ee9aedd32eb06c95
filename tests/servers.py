"""Real servers for end-to-end tests: gunicorn serving the app in production mode, and a
database that accepts connections but never answers. Everything is bounded in time and
listens on 127.0.0.1 only; each server is stopped when its block ends."""

import http.client
import os
import re
import secrets
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(**extra):
    """Production settings (DEBUG off), but with plain static files storage: the manifest
    storage needs collectstatic, which the tests do not run."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "4",
    }
    return env | extra


def manage(*args, env, timeout=180):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@contextmanager
def gunicorn(env, log_path, ready_path="/health/", startup_timeout=60):
    """gunicorn with gunicorn.conf.py on a free 127.0.0.1 port; yields the port."""
    port = free_port()
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            assert server.poll() is None, Path(log_path).read_text()[-3000:]
            try:
                request(port, "GET", ready_path, timeout=15)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        except ProcessLookupError:
            pass


def request(port, method, path, body=None, headers=None, timeout=30):
    """One request on its own connection; returns (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


class FormClient:
    """A browser behind the council's proxy: keeps the CSRF cookie, sends the forwarded
    headers the proxy would add, and the Origin that Django checks over HTTPS."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def headers(self, forwarded_for):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{self.port}",
        }
        if forwarded_for is not None:
            headers["X-Forwarded-For"] = forwarded_for
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def keep_cookies(self, headers):
        for cookie in headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value

    def get(self, path, forwarded_for=None):
        status, headers, text = request(self.port, "GET", path, headers=self.headers(forwarded_for))
        self.keep_cookies(headers)
        return status, text

    def post(self, path, fields, forwarded_for=None):
        from urllib.parse import urlencode

        status, page = self.get(path, forwarded_for)
        assert status == 200, page[-2000:]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        headers = self.headers(forwarded_for) | {
            "Content-Type": "application/x-www-form-urlencoded"
        }
        status, response_headers, text = request(
            self.port, "POST", path, urlencode(fields | {"csrfmiddlewaretoken": token}), headers
        )
        self.keep_cookies(response_headers)
        return status, text


class SilentDatabase:
    """A TCP server that accepts every connection and never sends a byte, like a database
    server that has frozen: the kernel completes the handshake, nothing answers.

    `thaw(port)` makes it a plain forwarder to a real server from then on, as a database
    that comes back would be."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.forward_to = None
        self.accepted = 0
        self.held = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=5)
        for sock in self.held:
            sock.close()
        self.listener.close()

    def thaw(self, port):
        self.forward_to = port

    def serve(self):
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            if self.forward_to is None:
                self.held.append(client)  # accepted, never answered
            else:
                threading.Thread(target=self.pipe, args=(client,), daemon=True).start()

    def pipe(self, client):
        try:
            upstream = socket.create_connection(("127.0.0.1", self.forward_to), timeout=5)
        except OSError:
            client.close()
            return
        sockets = [client, upstream]
        try:
            while not self.stopping.is_set():
                readable, _, _ = select.select(sockets, [], [], 0.5)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()
