#!/usr/bin/python3
"""The house's rules, checked on the tree and on the built objects (docs/architecture.md):

    house_check.py SRC_DIR OBJ_DIR [--max-lines N]

- walls: util/ includes nothing of core/, engine/ or cli/; core/ nothing of engine/ or cli/;
  engine/ nothing of cli/;
- no circles: from `nm` of every object under OBJ_DIR, a file calls into another when it uses
  a symbol that one defines; no group of two or more files reaches itself;
- no source file under SRC_DIR longer than N lines (default 700).
Prints one line per problem and "N problems"; exit status 1 when there is any."""
import collections
import os
import re
import subprocess
import sys

WALLS = {"util": ("core/", "engine/", "cli/"), "core": ("engine/", "cli/"), "engine": ("cli/",)}


def walls(src):
    for dirpath, _, files in os.walk(src):
        room = os.path.relpath(dirpath, src).split(os.sep)[0]
        for f in files:
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, f)
            for n, line in enumerate(open(path), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if m and m.group(1).startswith(WALLS.get(room, ())):
                    yield f"{os.path.relpath(path, src)}:{n}: {room}/ includes {m.group(1)}"


def too_long(src, limit):
    for dirpath, _, files in os.walk(src):
        for f in files:
            if f.endswith((".c", ".h")):
                path = os.path.join(dirpath, f)
                n = sum(1 for _ in open(path))
                if n > limit:
                    yield f"{os.path.relpath(path, src)}: {n} lines (at most {limit})"


def circles(objdir):
    objs = sorted(os.path.join(d, f) for d, _, fs in os.walk(objdir) for f in fs
                  if f.endswith(".o"))
    if not objs:
        yield f"no objects under {objdir}"
        return
    defs, uses = {}, collections.defaultdict(set)
    for o in objs:
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDBR":
                defs[p[2]] = o
            elif len(p) == 2 and p[0] == "U":
                uses[o].add(p[1])
    graph = {o: {defs[s] for s in uses[o] if defs.get(s, o) != o} for o in objs}
    # Tarjan's strongly connected components, iteratively (no recursion limit to meet).
    index, low, stack, on, count = {}, {}, [], set(), 0
    for root in objs:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = count
        count += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        x = stack.pop()
                        on.discard(x)
                        comp.append(x)
                        if x == v:
                            break
                    if len(comp) > 1:
                        names = sorted(os.path.relpath(c, objdir) for c in comp)
                        yield "circle: " + " ".join(names)
            elif w not in index:
                index[w] = low[w] = count
                count += 1
                stack.append(w)
                on.add(w)
                work.append((w, iter(sorted(graph[w]))))
            elif w in on:
                low[v] = min(low[v], index[w])


def main():
    args = sys.argv[1:]
    limit = 700
    if "--max-lines" in args:
        i = args.index("--max-lines")
        limit = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    src, objdir = args
    problems = list(walls(src)) + list(circles(objdir)) + list(too_long(src, limit))
    for p in problems:
        print(p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
