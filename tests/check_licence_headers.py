#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Every source file names the project's licence in an SPDX line near its top.

Usage: check_licence_headers.py [--fix] [ROOT]. Source files are the C/C++,
JavaScript, Python, shell, CMake and man page files outside build trees and
node_modules. Exits 1 listing the files without the line (--fix adds it, after
a shebang line when there is one)."""
import os
import sys

LICENCE = "SPDX-License-Identifier: Apache-2.0"
SKIP_DIRS = {".git", "node_modules", "corpus", "data", "obj-x86_64-linux-gnu"}
COMMENT = {".cpp": "// ", ".hpp": "// ", ".c": "// ", ".h": "// ", ".js": "// ", ".cjs": "// ",
           ".py": "# ", ".sh": "# ", ".cmake": "# ", ".exp": "# ",
           ".1": '.\\" ', ".5": '.\\" ', ".8": '.\\" '}
BY_NAME = {"CMakeLists.txt": "# ", "run": "# "}


def comment_for(path):
    name = os.path.basename(path)
    if name in BY_NAME:
        return BY_NAME[name]
    return COMMENT.get(os.path.splitext(name)[1])


def source_files(root):
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(files):
            path = os.path.join(directory, name)
            if comment_for(path) is not None and not os.path.islink(path):
                yield path


def has_line(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        head = [f.readline() for _ in range(3)]
    return any(LICENCE in line for line in head)


def add_line(path):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    at = 1 if lines and lines[0].startswith("#!") else 0
    lines.insert(at, comment_for(path) + LICENCE + "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)


def main(argv):
    fix = "--fix" in argv
    rest = [a for a in argv if a != "--fix"]
    root = rest[0] if rest else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    missing = [p for p in source_files(root) if not has_line(p)]
    if fix:
        for path in missing:
            add_line(path)
        missing = [p for p in missing if not has_line(p)]
    for path in missing:
        print(f"{os.path.relpath(path, root)}: no '{LICENCE}' line in its first three lines")
    print(f"licence headers: {len(missing)} file(s) without the SPDX line")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
