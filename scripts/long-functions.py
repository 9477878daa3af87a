#!/usr/bin/env python3
"""Lists the functions of core/src longer than a limit (default 80 lines),
longest first: from the `fn` line to its closing brace at the same
indentation. Test code (`tests.rs`, inline `mod tests {`) is left out.

    python3 scripts/long-functions.py [DIR] [LIMIT]
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "core/src"
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 80
FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")
found = []
for folder, _, names in os.walk(root):
    for name in names:
        if not name.endswith(".rs") or name == "tests.rs":
            continue
        path = os.path.join(folder, name)
        lines = open(path, encoding="utf-8").read().split("\n")
        for i, line in enumerate(lines):
            if line.startswith("mod tests {"):
                lines = lines[:i]
                break
        i = 0
        while i < len(lines):
            m = FN.match(lines[i])
            if not m:
                i += 1
                continue
            j = i
            while j < len(lines) and not lines[j].rstrip().endswith(("{", ";")):
                j += 1
            if j < len(lines) and lines[j].rstrip().endswith("{"):
                k = j + 1
                while k < len(lines) and lines[k] != m.group(1) + "}":
                    k += 1
                length = k - i + 1
                if length > limit:
                    found.append((length, path, m.group(7), i + 1))
            i = j + 1
found.sort(key=lambda f: (-f[0], f[1], f[2]))
for length, path, fn, line in found:
    print(f"{length:4} {path}:{line} {fn}")
print(f"{len(found)} functions over {limit} lines")
