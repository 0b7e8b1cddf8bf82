#!/usr/bin/env python3
"""Counts the pairs of product folders that import each other.

A folder is a namespace: the file-scoped `namespace Webhooks.X.Y;` line of each C# file (Razor files: their `@namespace`,
else the project's root namespace plus their folder). Folder A imports folder B when a file of A has `using Webhooks.B…;`
(or `@using` in Razor) naming B or a namespace under B's. A pair counts when A imports B and B imports A. Sub-namespaces
are folded into their top capability folder (Webhooks.Grains.Events.Parsing counts as Webhooks.Grains.Events), and
generated code (Migrations, obj, bin) is left out. Usage: scripts/folder-cycles.py [--list] [--max N]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROJECTS = {"AppHost": "Webhooks.AppHost", "ServiceDefaults": "Webhooks.ServiceDefaults", "Receiver": "Webhooks.Receiver",
            "Grains": "Webhooks.Grains", "Dashboard": "Webhooks.Dashboard"}
NAMESPACE = re.compile(r"^\s*@?namespace\s+([\w.]+)", re.MULTILINE)
USING = re.compile(r"^\s*(?:global\s+)?@?using\s+(?:static\s+)?(Webhooks\.[\w.]+)\s*;?\s*$", re.MULTILINE)


def folder(namespace: str) -> str:
    """Webhooks.<Project>.<Capability>: a capability's sub-namespaces belong to it."""
    return ".".join(namespace.split(".")[:3])


def files():
    for project, root_namespace in PROJECTS.items():
        for path in (ROOT / project).rglob("*"):
            parts = path.relative_to(ROOT).parts
            if path.suffix not in (".cs", ".razor") or any(p in ("bin", "obj", "Migrations") for p in parts):
                continue
            yield path, root_namespace, parts


def imports():
    edges = {}
    for path, root_namespace, parts in files():
        text = path.read_text(encoding="utf-8")
        declared = NAMESPACE.search(text)
        namespace = declared.group(1) if declared else ".".join([root_namespace, *parts[1:-1]])
        source = folder(namespace)
        for used in USING.findall(text):
            target = folder(used)
            if target != source:
                edges.setdefault(source, {}).setdefault(target, set()).add(str(path.relative_to(ROOT)))
    return edges


def mutual_pairs(edges):
    pairs = []
    for a, targets in edges.items():
        for b in targets:
            if a < b and a in edges.get(b, {}):
                pairs.append((a, b))
    return sorted(pairs)


if __name__ == "__main__":
    edges = imports()
    pairs = mutual_pairs(edges)
    if "--list" in sys.argv:
        for a, b in pairs:
            print(f"{a} <-> {b}")
            print(f"    {a} -> {b}: {', '.join(sorted(edges[a][b]))}")
            print(f"    {b} -> {a}: {', '.join(sorted(edges[b][a]))}")
    print(f"{len(pairs)} mutual-import folder pairs")
    if "--max" in sys.argv:
        limit = int(sys.argv[sys.argv.index("--max") + 1])
        sys.exit(0 if len(pairs) <= limit else 1)
