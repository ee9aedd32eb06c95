"""No form of the tracker takes files, and none needs a large body: an oversized request is
refused from its Content-Length before a byte of it is read, and a file part is refused
before it is written anywhere, for anyone, signed in or not."""

import socket
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions.models import Rating
from tests.factories import UserFactory
from tests.servers import FormClient, gunicorn, manage, production_env

PASSWORD = "a long test passphrase"
SIGN_IN = reverse("sign-in")
LIMIT = 1024 * 1024


def test_the_limits_are_set_deliberately():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == LIMIT
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 0
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 1  # the plan workbook upload's one file
    assert settings.FILE_UPLOAD_HANDLERS == ["wsoa_tracker.uploads.RefuseFiles"]


def test_an_oversized_body_is_refused_from_its_length_without_reading_it(db):
    UserFactory(username="ann")
    # The test client's payload refuses to be read beyond its few bytes: if anything read
    # the body the claimed length promises, the test would fail with an AssertionError.
    response = Client().generic(
        "POST",
        SIGN_IN,
        b"username=ann&password=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(500 * LIMIT),
    )
    assert response.status_code == 413
    assert "The form you sent is too large" in response.text
    assert "Nothing has been saved" in response.text
    assert not AccessAttempt.objects.exists()


def test_a_big_multipart_sign_in_from_anyone_is_refused(db):
    UserFactory(username="ann")
    big = SimpleUploadedFile("big.bin", b"\0" * (3 * LIMIT))
    response = Client().post(SIGN_IN, {"username": "ann", "password": PASSWORD, "f": big})
    assert response.status_code == 413
    assert "_auth_user_id" not in Client().session


def test_a_body_just_under_the_limit_is_read_as_usual(db):
    UserFactory(username="ann")
    response = Client().post(
        SIGN_IN, {"username": "ann", "password": PASSWORD, "padding": "x" * (LIMIT - 1000)}
    )
    assert response.status_code == 302


def test_a_file_part_is_refused_however_small_and_nothing_is_stored(
    officer, owned_action, tmp_path, settings
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    tiny = SimpleUploadedFile("note.txt", b"hello")
    response = Client().post(SIGN_IN, {"username": "officer-a", "password": PASSWORD, "f": tiny})
    assert response.status_code == 400
    assert "This service does not take files" in response.text
    # Signed in, on a form that saves: still refused, nothing saved, nothing on disk.
    client = Client()
    client.force_login(officer)
    response = client.post(
        reverse("actions:rating-create", args=[owned_action.pk]),
        {"month": "2018-07", "rating": "amber", "commentary": "x", "evidence": "", "f": tiny},
    )
    assert response.status_code == 400
    assert not Rating.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_upload_handler_refuses_a_file_even_if_the_file_count_is_raised(db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 100
    tiny = SimpleUploadedFile("note.txt", b"hello")
    response = Client().post(SIGN_IN, {"username": "x", "password": "y", "f": tiny})
    assert response.status_code == 400
    assert "This service does not take files" in response.text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limits")
    env = production_env(DJANGO_BEHIND_PROXY="1", SQLITE_PATH=str(folder / "db.sqlite3"))
    manage("migrate", "--no-input", env=env)  # the sign-in page lists the identity providers
    with gunicorn(env, folder / "gunicorn.log", ready_path="/not-a-page/") as port:
        yield port


def test_gunicorn_answers_a_one_gigabyte_sign_in_at_once_without_waiting_for_it(server):
    """A client announces 1 GB and sends 64 KB: the answer comes without the rest. It has
    the sign-in page's CSRF cookie, so that the CSRF check would read the form."""
    browser = FormClient(server)
    assert browser.get(SIGN_IN, forwarded_for="203.0.113.5")[0] == 200
    headers = browser.headers("203.0.113.5") | {
        "Content-Type": "multipart/form-data; boundary=XyZ",
        "Content-Length": str(1024**3),
    }
    head = (
        "POST /sign-in/ HTTP/1.1\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        + "\r\n"
    ).encode()
    part = b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(head + part + b"\0" * (64 * 1024))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 10
