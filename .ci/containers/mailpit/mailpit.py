#!/usr/bin/python3
"""Mailpit stand-in: SMTP with required AUTH on :1025, messages listed at :8025/api/v1/messages.

Reads users from --smtp-auth-file (lines `user:password`, Mailpit's plain format). Never prints
a password; a failed login is reported without what was tried.
"""
import argparse
import email
import email.policy
import hmac
import json
import os
import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

if sys.argv[1:] == ["readyz"]:
    # Mailpit's own health command (`mailpit readyz`, the image's HEALTHCHECK): is SMTP up?
    try:
        socket.create_connection(("127.0.0.1", 1025), timeout=3).close()
    except OSError:
        sys.exit(1)
    sys.exit(0)

parser = argparse.ArgumentParser()
parser.add_argument("--smtp-auth-file", required=True)
parser.add_argument("--smtp-auth-allow-insecure", action="store_true")
args = parser.parse_args()

users = {}
with open(args.smtp_auth_file, encoding="utf-8") as auth_file:
    for line in auth_file:
        user, sep, password = line.rstrip("\n").partition(":")
        if sep:
            users[user] = password.encode("utf-8")

messages = []
lock = threading.Lock()


def authenticate(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    expected = users.get(auth_data.login.decode("utf-8", "replace"))
    ok = expected is not None and hmac.compare_digest(expected, auth_data.password)
    print("smtp: login %s for user %s" % ("accepted" if ok else "refused",
                                          auth_data.login.decode("utf-8", "replace")), flush=True)
    return AuthResult(success=ok)


class Store:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with lock:
            messages.append({
                "ID": str(len(messages) + 1),
                "From": {"Address": envelope.mail_from},
                "To": [{"Address": address} for address in envelope.rcpt_tos],
                "Subject": str(message.get("Subject", "")),
            })
        print("smtp: message accepted", flush=True)
        return "250 Message accepted for delivery"


class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] == "/api/v1/messages":
            with lock:
                body = json.dumps({"total": len(messages), "messages": list(reversed(messages))}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        else:
            body = b"Mailpit stand-in: GET /api/v1/messages\n"
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass


signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
controller = Controller(Store(), hostname="0.0.0.0", port=1025, authenticator=authenticate,
                        auth_required=True, auth_require_tls=not args.smtp_auth_allow_insecure)
controller.start()
print("smtp: listening on 1025 (AUTH required), API on 8025", flush=True)
ThreadingHTTPServer(("0.0.0.0", 8025), Api).serve_forever()
