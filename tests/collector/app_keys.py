"""A throwaway GitHub App for tests: an RSA key made at test time (never committed) and the fake's App."""

from __future__ import annotations

from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from analyzer.fakegithub import RateLimits
from analyzer.fakegithub.apps import FakeApp

APP_ID = 424242
INSTALLATION_ID = 7001


@cache
def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem() -> str:
    return _key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()


def public_pem() -> str:
    return _key().public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def app_for(login: str = "acme-labs", installation_limits: RateLimits | None = None) -> FakeApp:
    """The App, installed on ``login`` with ``INSTALLATION_ID``."""
    app = FakeApp(APP_ID, "analyzer-collector", public_pem(), installation_limits=installation_limits)
    app.install(INSTALLATION_ID, login)
    return app
