"""What a user would otherwise write: Python csv + re, three classes.

baseline.py FILE: one JSON line per product with its retinoid, vitamin C
and AHA hits, as a straightforward script would do it.
"""
import csv
import json
import re
import sys

CLASSES = {
    "retinoid": re.compile(r"\b(retinol|retinal|retinyl \w+|tretinoin|"
                           r"hydroxypinacolone retinoate|adapalene)\b", re.I),
    "vitamin-c": re.compile(r"\b(ascorbic acid|ascorbyl \w+|sodium ascorbyl "
                            r"phosphate|tetrahexyldecyl ascorbate)\b", re.I),
    "aha": re.compile(r"\b(glycolic|lactic|mandelic|malic|tartaric|citric) "
                      r"acid\b", re.I),
}


def main():
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        out = sys.stdout
        for row in reader:
            found = {}
            for item in row["Ingredients"].split(","):
                item = item.strip()
                for name, pattern in CLASSES.items():
                    if pattern.search(item):
                        found.setdefault(name, []).append(item)
            out.write(json.dumps({"sku": row["sku"], "classes": found}) + "\n")


main()
