"""TLS settings: certificate verification, custom CA bundles and mTLS client certs."""

from __future__ import annotations

import functools
import ssl

import httpx

from ._config import ClientConfig


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~0.3 s; one verifying context serves every client.
    return httpx.create_ssl_context()


def ssl_context(config: ClientConfig) -> ssl.SSLContext | bool:
    if config.client_cert is None and not isinstance(config.verify, str):
        return _default_ssl_context() if config.verify else False
    cafile = config.verify if isinstance(config.verify, str) else None
    context = ssl.create_default_context(cafile=cafile)
    if config.verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if config.client_cert is not None:
        if isinstance(config.client_cert, tuple):
            context.load_cert_chain(config.client_cert[0], config.client_cert[1])
        else:
            context.load_cert_chain(config.client_cert)
    return context
