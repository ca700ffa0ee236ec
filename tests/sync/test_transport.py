"""The client's TLS settings: made once for every round, and still checking certificates."""

from __future__ import annotations

import ssl

from sync.transport import RetryPolicy, Transport, tls_context


def test_every_client_checks_certificates_and_host_names() -> None:
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0  # a CA bundle is loaded


def test_the_ca_bundle_is_loaded_once_for_all_rounds() -> None:
    with (
        Transport("https://a.example", http=None, retry=RetryPolicy()) as one,
        Transport("https://b.example", http=None, retry=RetryPolicy()) as two,
    ):
        contexts = {id(t.http._transport._pool._ssl_context) for t in (one, two)}  # type: ignore[attr-defined]
    assert contexts == {id(tls_context())}
