#!/usr/bin/env python3
"""Requests to every replica of the app while a rotation runs (started by .ci/swarm-check).

Runs in a container on the stack's overlay network. Each round resolves tasks.app (the app's
replicas: dnsrr, one address per running task, healthy ones only) and sends each replica one
database request (GET /api/notes) and one Redis request (POST /api/visits), as tenant-l.test,
with a token signed like compose_checks.py signs them. No retry: every error is a failure.
Keeps STATE/load.json up to date (counts, per replica, first errors); stops when STATE/stop
exists, and then marks it "stopped".

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
    result = {"requests": 0, "failures": 0, "rounds": 0, "replicas": [], "by_replica": {}, "errors": [],
              "stopped": False}
    bearer, signed = None, 0.0

    def save():
        with open(os.path.join(STATE, "load.json.new"), "w", encoding="utf-8") as file:
            json.dump(result, file)
        os.replace(os.path.join(STATE, "load.json.new"), os.path.join(STATE, "load.json"))

    def failed(message):
        result["failures"] += 1
        if len(result["errors"]) < 30:
            result["errors"].append("%s %s" % (time.strftime("%H:%M:%S"), message))

    while not os.path.exists(os.path.join(STATE, "stop")):
        if time.monotonic() - signed > 300:
            bearer, signed = compose_checks.token("load@" + TENANT, TENANT, "USER"), time.monotonic()
        try:
            addresses = replicas()
        except OSError as error:
            addresses = []
            failed("resolve tasks.app: %s" % error)
        result["rounds"] += 1
        result["replicas"] = addresses
        for address in addresses:
            counts = result["by_replica"].setdefault(address, {"requests": 0, "failures": 0})
            for method, path in (("GET", "/api/notes"), ("POST", "/api/visits")):
                result["requests"] += 1
                counts["requests"] += 1
                started = time.monotonic()
                try:
                    status = request(method, "http://%s:8080%s" % (address, path), bearer)
                    error = None if status == 200 else "HTTP %d" % status
                except urllib.error.HTTPError as http_error:
                    error = "HTTP %d" % http_error.code
                except OSError as os_error:
                    error = str(os_error)
                if error:
                    counts["failures"] += 1
                    failed("%s %s at %s after %.1f s: %s" % (method, path, address, time.monotonic() - started, error))
        save()
        time.sleep(0.05)
    result["stopped"] = True
    save()


if __name__ == "__main__":
    main()
