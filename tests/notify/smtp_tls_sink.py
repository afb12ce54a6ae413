#!/usr/bin/python3
"""An SMTP server for tests that only accepts authenticated mail over TLS.

--mode starttls: plain connection, STARTTLS required before AUTH and MAIL (as on port 587).
--mode implicit: TLS from the first byte (as on port 465).
Every accepted message lands in --maildir. Prints "ready" once it listens; runs until killed.
"""
import argparse
import warnings
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--mode", choices=["starttls", "implicit"], required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    a = p.parse_args()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == a.user.encode()
              and auth_data.password == a.password.encode())
        return AuthResult(success=ok, handled=False)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(a.cert, a.key)
    common = dict(hostname="127.0.0.1", port=a.port, authenticator=authenticator,
                  auth_required=True)
    if a.mode == "starttls":
        controller = Controller(Mailbox(a.maildir), tls_context=tls, require_starttls=True,
                                auth_require_tls=True, **common)
    else:
        # The whole connection is TLS here; aiosmtpd's warning is about STARTTLS servers.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        controller = Controller(Mailbox(a.maildir), ssl_context=tls, auth_require_tls=False,
                                **common)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
