#!/usr/bin/env python3
"""Requests to every replica of the app while a rotation runs (started by .ci/swarm-check).

Runs in a container on the stack's overlay network. Each round resolves tasks.app (the app's
replicas: dnsrr, one address per running task, healthy ones only) and sends each replica one
database request (GET /api/notes) and one Redis request (POST /api/visits), as tenant-l.test,
with a token signed like compose_checks.py signs them. No retry: every error is a failure.
Stops when STATE/stop exists; writes STATE/load.json (counts, per replica, first errors) and
keeps STATE/load.progress up to date.

  swarm_load.py SECRETS STATE
"""
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compose_checks  # noqa: E402

compose_checks.SECRETS, STATE = sys.argv[1], sys.argv[2]
TENANT = "tenant-l.test"


def replicas():
    return sorted({info[4][0] for info in socket.getaddrinfo("tasks.app", 8080, proto=socket.IPPROTO_TCP)})


def request(method, url, bearer):
    request = urllib.request.Request(url, data=b"" if method == "POST" else None, method=method)
    request.add_header("Authorization", "Bearer " + bearer)
    with urllib.request.urlopen(request, timeout=20) as response:
        response.read()
        return response.status


def main():
    requests, failures, rounds = 0, 0, 0
    by_replica, errors = {}, []
    bearer, signed = None, 0
    while not os.path.exists(os.path.join(STATE, "stop")):
        if time.monotonic() - signed > 300:
            bearer, signed = compose_checks.token("load@" + TENANT, TENANT, "USER"), time.monotonic()
        try:
            addresses = replicas()
        except OSError as error:
            addresses = []
            failures += 1
            errors.append("resolve tasks.app: %s" % error)
        rounds += 1
        for address in addresses:
            counts = by_replica.setdefault(address, {"requests": 0, "failures": 0})
            for method, path in (("GET", "/api/notes"), ("POST", "/api/visits")):
                requests += 1
                counts["requests"] += 1
                try:
                    status = request(method, "http://%s:8080%s" % (address, path), bearer)
                    ok = status == 200
                    error = "HTTP %d" % status
                except urllib.error.HTTPError as http_error:
                    ok, error = False, "HTTP %d" % http_error.code
                except OSError as os_error:
                    ok, error = False, str(os_error)
                if not ok:
                    failures += 1
                    counts["failures"] += 1
                    errors.append("%s %s %s at %s: %s" % (time.strftime("%H:%M:%S"), method, path, address, error))
        with open(os.path.join(STATE, "load.progress"), "w", encoding="utf-8") as progress:
            json.dump({"requests": requests, "failures": failures, "replicas": addresses}, progress)
        time.sleep(0.05)
    with open(os.path.join(STATE, "load.json"), "w", encoding="utf-8") as result:
        json.dump({"requests": requests, "failures": failures, "rounds": rounds, "by_replica": by_replica,
                   "errors": errors[:20]}, result)


if __name__ == "__main__":
    main()
