#!/usr/bin/env python3
"""The sample under Docker Compose, checked from the host over loopback (run by .ci/compose-check).

API tokens are signed here with token_secret_key, as an operator holding the secrets folder
can; Google sign-in cannot run in CI. Values are read from the files and never printed.

  compose_checks.py SECRETS wait BASE            wait until /actuator/health is UP
  compose_checks.py SECRETS api BASE MAILPIT     every check of the running stack
  compose_checks.py SECRETS visit BASE TENANT N  POST /api/visits answers N
  compose_checks.py SECRETS wiring BASE          the wiring report is all green
  compose_checks.py SECRETS scan FILE [EXTRA...] FILE holds no secret (nor the EXTRA files' values)
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request

NAMES = ["postgres_password", "db_password_server", "redis_password", "email_password", "crypto_key",
         "token_secret_key", "nextauth_secret", "google_oauth_client_id", "google_oauth_client_secret"]
# The OAuth client id is public (it is in every login redirect), as in SampleApplicationIT.
PUBLIC = {"google_oauth_client_id"}


def fail(message):
    print("FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print("  ok  " + message)


def value(path):
    with open(path, encoding="utf-8") as file:
        return file.read().rstrip("\n")


def secret(name):
    return value(os.path.join(SECRETS, name))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(subject, tenant, *roles):
    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"iss": "mounted-secrets-sample", "sub": subject, "tenant": tenant,
                                "roles": list(roles), "iat": now, "exp": now + 600}).encode())
    signature = hmac.new(secret("token_secret_key").encode(), (header + "." + claims).encode(), hashlib.sha256)
    return header + "." + claims + "." + b64url(signature.digest())


def call(method, url, bearer=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if bearer:
        request.add_header("Authorization", "Bearer " + bearer)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def secret_values(extra_files=()):
    values = {name: secret(name) for name in NAMES if name not in PUBLIC}
    for path in extra_files:
        values[os.path.basename(path)] = value(path)
    return values


def assert_no_secret(text, what, extra_files=()):
    for name, text_value in secret_values(extra_files).items():
        encoded = base64.b64encode(text_value.encode()).decode()
        if text_value in text or encoded in text:
            fail("%s contains the value of %s" % (what, name))
    print("  ok  %s free of every secret (%d values, plain and Base64)" % (what, len(secret_values(extra_files))))


def wait(base):
    deadline = time.monotonic() + 240
    while True:
        try:
            status, body = call("GET", base + "/actuator/health")
            if status == 200 and json.loads(body).get("status") == "UP":
                print("  ok  %s/actuator/health is UP" % base)
                return
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            fail("the app did not report UP at %s/actuator/health within 240 s" % base)
        time.sleep(1)


def wiring(base):
    ops = token("ops@sample.test", "ops", "USER", "OPS")
    status, body = call("GET", base + "/actuator/wiring", ops)
    check(status == 200, "GET /actuator/wiring with an OPS token answers 200")
    report = json.loads(body)
    check(report.get("status") == "UP", "wiring report status UP")
    entries = report.get("secrets", [])
    check(len(entries) == 9, "wiring report lists the 9 secret files")
    bad = [entry for entry in entries if not entry.get("present") or not entry.get("consumer", {}).get("ok")]
    check(not bad, "every secret present and its consumer check green: " + ", ".join(
        "%s=%s" % (entry.get("name", entry.get("file", "?")), entry.get("consumer", {}).get("detail", "ok")) for entry in entries))
    check("current_user=app_user" in body and "can bypass RLS=false" in body,
          "the pool logs in as app_user, which cannot bypass row-level security")
    assert_no_secret(body, "the wiring report")


def visit(base, tenant, expected):
    status, body = call("POST", base + "/api/visits", token("visitor@" + tenant, tenant, "USER"))
    check(status == 200 and json.loads(body).get("visits") == expected,
          "POST /api/visits for %s counts %d in Redis" % (tenant, expected))


def api(base, mailpit):
    run = str(int(time.time()))
    check(call("GET", base + "/api/notes")[0] == 401, "GET /api/notes without a token answers 401")
    check(call("GET", base + "/actuator/wiring")[0] == 401, "GET /actuator/wiring without a token answers 401")
    forged = token("mallory", "tenant-a.test", "USER", "OPS").rsplit(".", 1)[0] + "." + b64url(b"x" * 32)
    check(call("GET", base + "/api/notes", forged)[0] == 401, "a token with a wrong signature answers 401")
    user = token("hank@tenant-h.test", "tenant-h.test", "USER")
    check(call("GET", base + "/actuator/wiring", user)[0] == 403, "GET /actuator/wiring with a USER token answers 403")
    wiring(base)

    tenant_a = token("alice@tenant-a.test", "tenant-a.test", "USER")
    tenant_b = token("bob@tenant-b.test", "tenant-b.test", "USER")
    check(call("POST", base + "/api/notes", tenant_a, {"body": "a only " + run})[0] == 201, "tenant-a adds a note")
    check(call("POST", base + "/api/notes", tenant_b, {"body": "b only " + run})[0] == 201, "tenant-b adds a note")
    notes_a = [note["body"] for note in json.loads(call("GET", base + "/api/notes", tenant_a)[1])]
    notes_b = [note["body"] for note in json.loads(call("GET", base + "/api/notes", tenant_b)[1])]
    # The browser scenario added notes for both tenants before: compare this run's notes.
    check("a only " + run in notes_a and "b only " + run not in notes_a,
          "tenant-a sees its note, not tenant-b's: %s" % [n for n in notes_a if run in n])
    check("b only " + run in notes_b and "a only " + run not in notes_b,
          "tenant-b sees its note, not tenant-a's: %s" % [n for n in notes_b if run in n])

    visit(base, "tenant-v.test", 1)
    visit(base, "tenant-v.test", 2)

    status, _ = call("POST", base + "/api/mail", tenant_a, {"to": "alice@tenant-a.test"})
    check(status == 202, "POST /api/mail answers 202")
    deadline = time.monotonic() + 60
    while True:
        subjects = [message.get("Subject") for message in json.loads(call("GET", mailpit + "/api/v1/messages")[1])["messages"]]
        if "Notes of tenant-a.test" in subjects:
            break
        if time.monotonic() > deadline:
            fail("no mail 'Notes of tenant-a.test' at the SMTP server within 60 s: %s" % subjects)
        time.sleep(1)
    check(True, "the SMTP server received 'Notes of tenant-a.test' (authenticated with email_password)")

    ops = token("ops@sample.test", "ops", "USER", "OPS")
    for endpoint in ("env", "configprops", "secrets"):
        status, body = call("GET", base + "/actuator/" + endpoint, ops)
        check(status == 200, "GET /actuator/%s with an OPS token answers 200" % endpoint)
        assert_no_secret(body, "/actuator/" + endpoint)


if __name__ == "__main__":
    SECRETS, command = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    if command == "wait":
        wait(rest[0])
    elif command == "api":
        api(rest[0], rest[1])
    elif command == "visit":
        visit(rest[0], rest[1], int(rest[2]))
    elif command == "wiring":
        wiring(rest[0])
    elif command == "scan":
        with open(rest[0], encoding="utf-8", errors="replace") as log:
            assert_no_secret(log.read(), rest[0].rsplit("/", 1)[-1], rest[1:])
    else:
        fail("unknown command " + command)
