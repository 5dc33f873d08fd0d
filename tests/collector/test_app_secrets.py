"""The tokens of a pool, the App's private key and the installation tokens minted from it end up nowhere:
not in the store, logs or output. A bad key file is refused in one line naming the setting, never its content."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from analyzer.cli import main
from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel
from tests.collector.app_keys import APP_ID, app_for, private_pem

TOKENS = ["ghp_secretPoolOneDoNotLeak0123456789ab", "ghp_secretPoolTwoDoNotLeak0123456789cd"]


def _setup(tmp_path: Path, key_pem: str | bytes) -> None:
    for i, token in enumerate(TOKENS, start=1):
        (tmp_path / f"t{i}").write_text(token + "\n")
    (tmp_path / "app.pem").write_bytes(key_pem.encode() if isinstance(key_pem, str) else key_pem)
    (tmp_path / "config.toml").write_text(
        f'[github]\nseconds_between_requests = 0\napp_id = {APP_ID}\napp_private_key_file = "app.pem"\n'
    )


def _secret_lines(pem: str) -> list[str]:
    return [line for line in pem.splitlines() if len(line) >= 40 and "-----" not in line]


def test_pool_tokens_app_key_and_installation_tokens_never_reach_store_logs_or_output(
    tiny_org: OrgModel, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    _setup(tmp_path, private_pem())
    caplog.set_level("DEBUG")
    app = app_for(tiny_org.login)
    with FakeGitHub(tiny_org, tokens=set(TOKENS), app=app) as server:
        code = main(["collect", "--org", tiny_org.login, "--base-url", server.base_url, "--store", "s.sqlite",
                     "--token-file", "t1", "--token-file", "t2"])
        assert code == 0 and server.errors == []
        used = {r.credential for r in server.log if r.cost}
    minted = list(app.issued)
    assert len(used) == 3 and minted and app.jwts  # both tokens and the App really collected
    secrets = [*TOKENS, *minted, *app.jwts, *_secret_lines(private_pem())]
    out = capsys.readouterr()
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name not in ("t1", "t2", "app.pem"):
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, path
    for secret in secrets:
        assert secret not in out.out and secret not in out.err and secret not in caplog.text
    assert "token file t1" in out.out and f"GitHub App {APP_ID} installation" in out.out


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, password: bytes | None = None) -> bytes:
    encryption = (serialization.BestAvailableEncryption(password) if password
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


BROKEN = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretKeyMaterialThatMustNotBeEchoed0123456789abcdefXYZ\n" \
         "-----END RSA PRIVATE KEY-----\n"


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("cut PEM", BROKEN, ("github.app_private_key_file", "RSA private key", "not shown")),
        ("an EC key", lambda: _pem(ec.generate_private_key(ec.SECP256R1())), ("github.app_private_key_file", "RSA")),
        ("encrypted", lambda: _pem(rsa.generate_private_key(65537, 2048), b"pass"), ("github.app_private_key_file",)),
        ("a certificate-like text file", "hello, not a key at all\n" * 3, ("github.app_private_key_file",)),
    ],
)
def test_a_bad_key_file_is_one_line_naming_the_setting_without_its_content(
    tiny_org: OrgModel, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    name: str, content: object, needles: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKENS[0])
    key = content() if callable(content) else content
    assert isinstance(key, str | bytes)
    _setup(tmp_path, key)
    with FakeGitHub(tiny_org, tokens=set(TOKENS), app=app_for(tiny_org.login)) as server:
        code = main(["collect", "--org", tiny_org.login, "--base-url", server.base_url, "--store", "s.sqlite"])
        assert server.log == []  # refused before the first request
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1, err
    assert all(n in err for n in needles), err
    text = key.decode(errors="replace") if isinstance(key, bytes) else key
    for line in text.splitlines():
        if len(line) >= 20 and "-----" not in line:
            assert line not in err
    assert not (tmp_path / "s.sqlite").exists()


def test_the_key_of_another_app_is_refused_in_one_line(
    tiny_org: OrgModel, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    other = _pem(rsa.generate_private_key(65537, 2048)).decode()
    _setup(tmp_path, other)
    with FakeGitHub(tiny_org, tokens=set(), app=app_for(tiny_org.login)) as server:
        code = main(["collect", "--org", tiny_org.login, "--base-url", server.base_url, "--store", "s.sqlite"])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1, err
    assert "401" in err and "github.app_private_key_file" in err and "clock" in err
    assert not any(line in err for line in _secret_lines(other))
    assert not (tmp_path / "s.sqlite").exists()


def test_an_app_id_without_a_key_file_is_one_line(
    tiny_org: OrgModel, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    for config, needle in ((f"[github]\napp_id = {APP_ID}\n", "is not"), (
            f'[github]\napp_id = {APP_ID}\napp_private_key_file = "missing.pem"\n', "missing.pem")):
        (tmp_path / "config.toml").write_text(config)
        code = main(["collect", "--org", tiny_org.login, "--base-url", "http://127.0.0.1:9", "--store", "s.sqlite"])
        err = capsys.readouterr().err
        assert code != 0 and len(err.strip().splitlines()) == 1 and "github.app_private_key_file" in err, err
        assert needle in err
