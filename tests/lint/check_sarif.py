"""Checks a SARIF log of needlecheck lint for what SARIF 2.1.0 and code
scanning need, and that each location and fix points where it says: a
class result at its ingredient (columns in code points, through quotes and
multi-line cells), a fix at the claim it replaces. Run where the linted
files are: check_sarif.py LOG."""
import json
import re
import sys
import urllib.parse

log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", "version"
assert "sarif-2.1.0" in log["$schema"], "$schema"
assert len(log["runs"]) == 1, "one run"
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "needlecheck" and driver["version"], "driver"
rules = [r["id"] for r in driver["rules"]]
assert len(rules) == len(set(rules)), "rule ids are unique"
for r in driver["rules"]:
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"], r["id"]
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
assert run["columnKind"] == "unicodeCodePoints", "columnKind"
assert run["invocations"][0]["executionSuccessful"] in (True, False)
lint_rules = {"unreadable-list", "bad-claim", "bad-allow", "unclaimed-safe",
              "no-claims"}
assert run["results"], "results"
for res in run["results"]:
    assert res["ruleId"] in rules, res["ruleId"]
    assert res["level"] in ("error", "warning", "note"), res["level"]
    assert res["message"]["text"], "message"
    loc = res["locations"][0]["physicalLocation"]
    uri = loc["artifactLocation"]["uri"]
    region = loc["region"]
    line, col = region["startLine"], region["startColumn"]
    assert line >= 1 and col >= 1, (line, col)
    path = urllib.parse.unquote(uri)
    data = open(path, "rb").read()
    lines = data.decode("utf-8").split("\n")
    if res["ruleId"] not in lint_rules:
        ingredient = re.match(r"'(.*?)' is an? ", res["message"]["text"]).group(1)
        here = lines[line - 1][col - 1:]
        assert here.startswith(ingredient), (uri, line, col, ingredient, here)
    for s in res.get("suppressions", []):
        assert s["kind"] == "inSource" and s["justification"], s
    for fix in res.get("fixes", []):
        change = fix["artifactChanges"][0]
        assert change["artifactLocation"]["uri"] == uri
        for rep in change["replacements"]:
            at = rep["deletedRegion"]["byteOffset"]
            old = data[at:at + rep["deletedRegion"]["byteLength"]].decode()
            new = rep["insertedContent"]["text"]
            assert re.fullmatch(r"\d+|post-procedure-safe(:\d+)?", old), old
            assert re.fullmatch(r"\d+|post-procedure-safe:\d+", new), new
