"""The security log: one JSON line per event, secrets never written, no forged lines."""

import json
import logging

from matchmaker import security_log
from tests.conftest import PASSWORD, login


def security_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == security_log.LOGGER_NAME]


def test_login_and_failed_login_are_logged_without_the_password(client, two_companies, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    login(client, "a@granli.example", "wrong-password-123")
    login(client, "a@granli.example")
    failed, ok = security_lines(caplog)
    assert failed["what"] == "login failed" and failed["account"] == "a@granli.example"
    assert failed["user"] is None and failed["address"] == "127.0.0.1"
    assert ok["what"] == "login" and ok["user"] == "a@granli.example" and ok["company"] == two_companies[0]
    assert ok["time"].endswith("+00:00")
    text = caplog.text
    assert "wrong-password-123" not in text and PASSWORD not in text


def test_crlf_in_a_field_cannot_forge_a_second_line(app, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    with app.test_request_context("/login", method="POST"):
        security_log.event("login failed", account='x@example.no\r\n{"what": "login", "user": "admin"}')
    records = [r for r in caplog.records if r.name == security_log.LOGGER_NAME]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "\n" not in message and "\r" not in message
    assert json.loads(message)["what"] == "login failed"


def test_secret_details_are_dropped(app, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    with app.test_request_context("/"):
        security_log.event("test", password="p", reset_token="t", api_secret="s", kept="yes")
    (line,) = security_lines(caplog)
    assert line["kept"] == "yes"
    assert not {"password", "reset_token", "api_secret"} & set(line)


def test_forbidden_is_logged(client, two_companies, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    login(client, "a@granli.example")
    assert client.get("/coordinator/").status_code == 403
    assert any(line["what"] == "forbidden" and line["path"] == "/coordinator/"
               for line in security_lines(caplog))


def test_imports_and_role_grants_on_the_command_line_are_logged(runner, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    good = tmp_path / "ok.json"
    good.write_text(json.dumps({"format": "matchmaker/v1", "companies": [
        {"id": "ny", "name": "Ny Bedrift AS", "listings": []}]}), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert runner.invoke(args=["import", str(good)]).exit_code == 0
    assert runner.invoke(args=["import", str(bad)]).exit_code != 0
    assert runner.invoke(args=["create-user", "--email", "ny@example.no", "--role", "coordinator"],
                         env={"MATCHMAKER_NEW_USER_PASSWORD": "lang-og-sjelden-frase-42"}).exit_code == 0
    lines = security_lines(caplog)
    assert [line["what"] for line in lines] == ["import", "import refused", "role granted"]
    assert lines[0]["file"] == "ok.json" and lines[0]["companies_created"] == 1
    assert lines[2]["account"] == "ny@example.no" and lines[2]["role"] == "coordinator"
