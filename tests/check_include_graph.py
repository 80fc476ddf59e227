#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The include graph of src/ and helper/ has no cycle: neither between files
nor between folders (layers). The build already refuses an include the wrong
way between layers (cmake/Layers.cmake); this also catches a cycle inside one
folder, which #pragma once would otherwise hide. Prints the graph's size, or
each cycle found, and exits 1 on a cycle."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
# Folders outside src/ whose headers are included by their own folder name
# ("helper/sandbox.hpp"), next to src/'s layers ("base/failure.hpp").
TOP_LEVEL = ("helper",)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources():
    """(name in the graph, path) of every file: src/base/x.cpp is base/x.cpp."""
    for path in sorted(SRC.rglob("*.[ch]pp")):
        yield path.relative_to(SRC).as_posix(), path
    for folder in TOP_LEVEL:
        for path in sorted((ROOT / folder).rglob("*.[ch]pp")):
            yield path.relative_to(ROOT).as_posix(), path


def file_graph():
    graph = {}
    for name, path in sources():
        here = name.rsplit("/", 1)[0]
        targets = set()
        for include in INCLUDE.findall(path.read_text()):
            if (SRC / include).is_file():
                targets.add(include)
            elif include.split("/")[0] in TOP_LEVEL and (ROOT / include).is_file():
                targets.add(include)
            elif (path.parent / include).is_file():  # src/cli's own headers
                targets.add(f"{here}/{include}")
        graph[name] = targets
    return graph


def folder_graph(graph):
    folders = {}
    for source, targets in graph.items():
        folder = source.split("/")[0]
        folders.setdefault(folder, set()).update(
            t.split("/")[0] for t in targets if t.split("/")[0] != folder)
    return folders


def cycles(graph):
    """Each cycle once, found by depth-first search (white/grey/black)."""
    colour, stack, found = {}, [], []

    def visit(node):
        colour[node] = "grey"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if colour.get(nxt) == "grey":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in colour:
                visit(nxt)
        stack.pop()
        colour[node] = "black"

    for node in sorted(graph):
        if node not in colour:
            visit(node)
    return found


def main():
    graph = file_graph()
    folders = folder_graph(graph)
    bad = cycles(graph) + cycles(folders)
    for cycle in bad:
        print("include cycle: " + " -> ".join(cycle))
    edges = sum(len(t) for t in graph.values())
    print(f"{len(graph)} files, {edges} includes, {len(folders)} folders: "
          f"{'no cycle' if not bad else str(len(bad)) + ' cycles'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
