#!/usr/bin/env python3
"""Differential check of /engage and /import between two lockstep-sandbox binaries.

Runs a reference build (e.g. one from before a performance change) and a candidate side by
side on the same scenario, sends both the same requests (valid, invalid and odd bodies,
every operator, verbose/strict, form and GET encodings, /import variants), and compares
status, body and the resulting profiles, events counters and operator counts byte for byte.

    bench/sandbox/diff_ingest.py REFERENCE_BIN CANDIDATE_BIN
Exit status 0 when everything matches.
"""
import base64
import gzip
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

SCENARIO = {
    "seed": 3,
    "mixpanel": {"project_token": "tok", "project_id": 9, "service_account": "sa:pw",
                 "existing_profile_share": 0.5, "existing_profile_key": "id",
                 "cohorts": [{"id": 1, "name": "C", "property": "cio_cohorts", "value": "C"}]},
    "population": {"size": 40},
    "people": [{"id": "u1", "email": "u1@example.com"}, {"id": "u2", "email": "u2@example.com"}],
}


class Sandbox:
    def __init__(self, binary, scenario_path):
        self.proc = subprocess.Popen([binary, "--scenario", scenario_path], stdout=subprocess.PIPE)
        urls = json.loads(self.proc.stdout.readline())
        self.port = urllib.parse.urlparse(urls["mixpanel"]).port

    def request(self, method, path, body=b"", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, data

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def upd(i, op, arg, token="tok", ignore=True):
    u = {"$token": token, "$distinct_id": i, op: arg}
    if ignore:
        u["$ignore_time"] = True
    return u


def engage_cases():
    j = lambda v: json.dumps(v, separators=(",", ":")).encode()
    cases = [
        j([upd("u1", "$union", {"cio_cohorts": ["C"]})]),
        j([upd("u1", "$union", {"cio_cohorts": ["C", "D", "C"], "other": [1, [2, 3], True, None, 1.5]})]),
        j([upd("u1", "$remove", {"cio_cohorts": "C"}), upd("u1", "$remove", {"nope": "C"})]),
        j([upd("u2", "$set", {"b": 1, "a": "x", "A": False, "z": None, "n": -0.0, "l": [1, "2"]})]),
        j([upd("u2", "$set_once", {"a": "y", "c": 3})]),
        j([upd("u2", "$add", {"n": 2, "m": 2.5}), upd("u2", "$add", {"a": 1}), upd("u2", "$add", {"k": "x", "j": 1})]),
        j([upd("u2", "$append", {"l": [9], "s": "t"}), upd("u2", "$append", {"s": "t"})]),
        j([upd("u2", "$unset", ["a", 5, None, "nonexistent"]), upd("u2", "$unset", {"a": 1})]),
        j([upd("u3", "$delete", ""), upd("u2", "$set", "notobject"), upd("u2", "$union", {"x": "notlist"})]),
        j([upd("new1", "$set", {"p": 1}, ignore=False)]),
        j([{"$token": "tok", "$distinct_id": "u1", "$set": {"a": 1}, "$union": {"b": [1]}}]),
        j([{"$token": "tok", "$distinct_id": "u1"}, {"$token": "tok", "$set": {"a": 1}}, upd("", "$set", {"a": 1})]),
        j([upd(123, "$set", {"num": 1}), upd(1.5, "$set", {"num": 2}), upd(True, "$set", {"num": 3})]),
        j([upd("u1", "$set", {"a": 1}, token="bad"), upd("u1", "$set", {"a": 2}, token=5)]),
        j([upd("u1", "$set", {"a": 1}, token="bad")]),
        j([{"$distinct_id": "u1", "$set": {"a": 1}}]),
        j([1, "x", None, [], upd("u1", "$set", {"after": True})]),
        j([upd("u1", "$set", {"obj": {"b": 1, "a": [1, {"c": 2}]}})]),
        j([upd("u1", "$union", {"nested": [{"a": 1}]})]),
        j([upd("u1", "$set", {"big": 12345678901234567890, "e": 1e2, "f": 1.0, "g": 0.1, "h": -12})]),
        j(upd("u4", "$set", {"single": "object"})),
        j([]),
        j({}),
        json.dumps([upd("u5", "$set", {"uni": "é\u00e9\U0001F600", "esc": "a\"b\\c\n\t/\u0001"})]).encode(),
        '[{"$token":"tok","$distinct_id":"u5","$set":{"raw":"é😀"}}]'.encode(),
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"k\\u00e9y":1,"key":2}}]',
        '[{"$token":"tok","$distinct_id":"u5","$set":{"kéy":1}}]'.encode(),
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"dup":1,"dup":2}}]',
        b'[{"$token":"tok","$distinct_id":"u5","$distinct_id":"u6","$set":{"d":1}}]',
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"lone":"\\ud800"}}]',
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"pair":"\\ud83d\\ude00","nul":"a\\u0000b"}}]',
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"tab":"a\tb"}}]',
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"n":1.}}]',
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"n":1e400}}]',
        b'[{"$token":"tok","$distinct_id":"u5","$set":{"n":5e-324,"m":-0.0,"o":-0}}]',
        b'\xef\xbb\xbf[{"$token":"tok","$distinct_id":"u5","$set":{"bom":1}}]',
        b'  [ {"$token" : "tok" , "$distinct_id" : "u5" , "$set" : { "ws" : 1 } } ]  \n',
        b'[{oops', b'', b'[1,]', b'[1] x', b'5', b'"str"', b'{"a":1,}', b'[\xff]',
        b'[{"$token":"tok","$distinct_id":"u\xc3\xa9","$set":{"a":1}}]',
        b'[{"$token":"tok","$distinct_id":"u1","$ignore_time":"yes","$set":{"it":1}}]',
        b'[{"$token":"tok","$distinct_id":"u1","$ignore_time":false,"$set":{"it":2}}]',
        b'[{"$token":"tok","$distinct_id":"u1","$set":{"a":1},"$bogus":{"x":1},"extra":{"y":{}}}]',
        b'[{"$token":"tok","$distinct_id":"u1","$delete":{"o":{"x":1}}}]',
        b'[{"$token":"tok","$distinct_id":"u1","$unset":[{"o":1}]}]',
        b'[' + b'[' * 70 + b']' * 70 + b']',
    ]
    many = [upd("m%d" % i, "$union", {"cio_cohorts": ["C"]}) for i in range(2001)]
    cases.append(j(many))
    cases.append(j(many[:2000]))
    cases.append(j([upd("m%d" % i, "$remove", {"cio_cohorts": "C"}) for i in range(1500)]
                   + [upd("m1", "$add", {"cio_cohorts": 1})]))
    return cases


def main():
    ref_bin, cand_bin = sys.argv[1], sys.argv[2]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(SCENARIO, f)
        scenario_path = f.name
    ref, cand = Sandbox(ref_bin, scenario_path), Sandbox(cand_bin, scenario_path)
    mismatches = 0
    checked = 0

    def same(what, a, b):
        nonlocal mismatches, checked
        checked += 1
        if a != b:
            mismatches += 1
            print("MISMATCH %s\n  reference: %r\n  candidate: %r" % (what, a[:600] if isinstance(a, bytes) else a,
                                                                     b[:600] if isinstance(b, bytes) else b))

    def both(method, path, body=b"", headers=None):
        a = ref.request(method, path, body, headers)
        b = cand.request(method, path, body, headers)
        same("%s %s %r" % (method, path, body[:120]), a, b)

    try:
        for n, body in enumerate(engage_cases()):
            for query in ("", "?verbose=1", "?strict=1", "?strict=1&verbose=1"):
                both("POST", "/engage" + query, body, {"Content-Type": "application/json"})
            # Padded past the size the candidate may hand to its worker threads.
            both("POST", "/engage?strict=1&verbose=1", body + b" " * 20000, {"Content-Type": "application/json"})
        for data in (b'{"$token":"tok","$distinct_id":"f1","$union":{"cio_cohorts":["X+Y/Z"]}}',
                     b'[{"$token":"tok","$distinct_id":"f2","$set":{"a":1}}]', b'{bad'):
            for enc in (data, base64.b64encode(data), base64.urlsafe_b64encode(data)):
                form = urllib.parse.urlencode({"data": enc.decode(), "verbose": "1"})
                both("POST", "/engage", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
                both("GET", "/engage?" + form)
                both("POST", "/engage?strict=1", b"data=" + urllib.parse.quote(enc).encode())
        both("PUT", "/engage", b"[]")

        # /import
        auth = {"Authorization": "Basic " + base64.b64encode(b"sa:pw").decode(), "Content-Type": "application/json"}
        ev = lambda name, t, d, ins: {"event": name, "properties": {"time": t, "distinct_id": d, "$insert_id": ins}}
        events = [ev("e", 1700000000, "d1", "a1"), ev("e", 1700000000, "d1", "a1"), ev("", 1, "d", "x"),
                  ev("e", 1.5, "d", "x"), ev("e", 0, "d", "x"), ev("e", 1, 5, "x"), ev("e", 1, "anon", "x"),
                  ev("e", 1, " NULL ", "x"), ev("e", 1, "d", "bad id!"), ev("e", 1, "d", "a" * 37),
                  ev("e", 1, "d", "ok\n"), ev("e", 1, "d", "ok\n\n"), {"event": "e", "properties": 5}, 7,
                  ev("e", 1700000001, "d2", "b2"), ev("e", 1e9, "d3", "c3"), ev("e", 1.0, "d3", "c4"),
                  ev("e", 1e19, "d3", "c5"), ev("e", "123", "d3", "c6"), ev("e", -5, "d3", "c7"),
                  ev("e", 1, " anon ", "c8"), ev("e", 1, "d3", 42), ev("é名", 1, "d3", "c9"), ev(5, 1, "d", "x"),
                  {"properties": {"time": 1, "distinct_id": "d", "$insert_id": "x"}}, ev("e", True, "d3", "d1"),
                  ev("e", 1, None, "d2"), ev("e", 1, "d3", ""), ev("e", 1, "d3", "\nx")]
        big_time = json.dumps([ev("e", 2 ** 60, "d4", "e1"), ev("e", 2 ** 60 + 1, "d4", "e2")]).encode()
        body = json.dumps(events).encode()
        for q in ("?project_id=9", "?project_id=9&strict=0", "?project_id=9&strict=1", "", "?project_id=8"):
            both("POST", "/import" + q, body, auth)
        both("POST", "/import?project_id=9", big_time, auth)
        both("POST", "/import?project_id=9", big_time, auth)
        ndjson = b"\n".join(json.dumps(e).encode() for e in events[:2]) + b"\n\n" + json.dumps(events[-1]).encode()
        both("POST", "/import?project_id=9", ndjson, auth)
        both("POST", "/import?project_id=9", b'{"a":1}\n[', auth)
        both("POST", "/import?project_id=9", gzip.compress(body), dict(auth, **{"Content-Encoding": "gzip"}))
        both("POST", "/import?project_id=9", b"\x1f\x8bjunk", dict(auth, **{"Content-Encoding": "gzip"}))
        both("POST", "/import?project_id=9", b"[]", auth)
        both("POST", "/import?project_id=9", b"[1,", auth)
        both("POST", "/import?project_id=9", json.dumps([events[0]] * 2001).encode(), auth)
        both("POST", "/import", body, {"Authorization": "Basic " + base64.b64encode(b"tok:").decode()})
        both("POST", "/import", body, {"Authorization": "Basic " + base64.b64encode(b"nope:").decode()})
        both("POST", "/import", body, {})
        both("GET", "/import", b"")

        # Resulting state: every profile (raw bytes, property order included), counters.
        ids = set()
        for body in engage_cases():
            ids.update(re.findall(rb'"\$distinct_id":\s*"([^"\\]*)"', body))
        ids.update([b"f1", b"f2", b"new1"] + [("p%d" % i).encode() for i in range(60)])
        norm = lambda b: re.sub(rb'"\$last_seen":"[^"]*"', b'"$last_seen":"T"', b)
        for i in sorted(ids):
            path = "/_sandbox/profiles?distinct_id=" + urllib.parse.quote(i)
            a, b = ref.request("GET", path), cand.request("GET", path)
            same("profile %r" % i, (a[0], norm(a[1])), (b[0], norm(b[1])))
        for path in ("/_sandbox/profiles?property=cio_cohorts&value=C", "/_sandbox/profiles?property=a"):
            same(path, ref.request("GET", path), cand.request("GET", path))
        sa, sb = json.loads(ref.request("GET", "/_sandbox/stats")[1]), json.loads(cand.request("GET", "/_sandbox/stats")[1])
        for key in ("routes", "engage", "import"):
            same("stats." + key, sa[key], sb[key])
        la = [(e["route"], e["status"], e["updates"], e["method"], e["path"]) for e in sa["log"]]
        lb = [(e["route"], e["status"], e["updates"], e["method"], e["path"]) for e in sb["log"]]
        same("stats.log (without times)", la, lb)
        ia, ib = json.loads(ref.request("GET", "/_sandbox/info")[1]), json.loads(cand.request("GET", "/_sandbox/info")[1])
        same("info.profiles", ia.get("profiles"), ib.get("profiles"))
    finally:
        ref.close()
        cand.close()
        os.unlink(scenario_path)
    print("%d comparisons, %d mismatches" % (checked, mismatches))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
