#!/usr/bin/python3
"""The long flags of every command of berth and berth-runtime, read from the sources of src/cli,
so that a test over them covers a new flag or command without a list to keep up to date.

    flag_tables.py SRC_CLI_DIR           one line per command and option table:
                                         BINARY <TAB> COMMAND WORDS <TAB> TABLE <TAB> FLAGS
    flag_tables.py SRC_CLI_DIR --cases   one line per abbreviation to try (see cases()):
                                         BINARY <TAB> COMMAND WORDS <TAB> ARGUMENT

What it reads, and refuses to guess past (any surprise is an error naming the place):
- the option tables (`struct option NAME[] = {...}`, with the entries of a macro spliced in,
  such as RESOURCE_LONG_OPTS) handed to cli_getopt(), directly or through a helper's parameter;
- the command tables: entries {"word", function, ...} whose function is defined in src/cli, held
  by a function or by a file-level array that functions read; main() of berth.c and rt_main.c
  are the two binaries' roots;
- plain calls between the functions of src/cli (a parser called by a command is that command's);
- the global flags: the "--name" strings compared in each main().
"""
import glob
import os
import re
import sys

ROOTS = {"berth.c": "berth", "rt_main.c": "berth-runtime"}


def fail(msg):
    sys.exit(f"flag_tables.py: {msg}")


def strip_comments(text):
    """The text with comments blanked (strings and characters kept as they are)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def match_brace(text, i):
    """The index just past the brace that closes the one at text[i], strings skipped."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    fail("unbalanced braces")


class Item:
    """A function or a file-level object of one file."""

    def __init__(self, file, name, kind, static, head, body):
        self.file, self.name, self.kind, self.static = file, name, kind, static
        self.head, self.body = head, body

    def __repr__(self):
        return f"{self.file}:{self.name}"


def top_level_items(file, text):
    """The functions and file-level objects (arrays with an initializer) of a file."""
    items, pos = [], 0  # pos: where the text of the next top-level declaration starts
    while (j := text.find("{", pos)) >= 0:
        head = re.sub(r"^\s*#.*$", "", text[pos:j], flags=re.M)
        head = head[max(head.rfind(";"), head.rfind("}")) + 1 :]
        end = match_brace(text, j)
        f = re.search(r"(\w+)\s*\([^{}]*\)\s*$", head)
        o = re.search(r"(\w+)\s*\[[^\]]*\]\s*=\s*$", head)
        if f and "=" not in head:
            items.append(Item(file, f.group(1), "function", "static" in head, head, text[j:end]))
        elif o:
            items.append(Item(file, o.group(1), "object", "static" in head, head, text[j:end]))
        # (the body of a struct, enum or union definition is neither)
        pos = end
    return items


def call_args(text, i):
    """The arguments of the call whose "(" is at text[i], split at top-level commas."""
    args, depth, cur, n = [], 0, [], len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i : j + 1])
            i = j + 1
            continue
        if c == "(":
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(cur).strip())
                return args
        elif c == "," and depth == 1:
            args.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    fail("unbalanced parentheses")


def option_names(table):
    """The long names of an option table's text; an entry not understood is an error."""
    names = re.findall(r'\{\s*"([^"]+)"\s*,\s*(?:no|required|optional)_argument', table)
    if len(names) != table.count('"') // 2:
        fail(f"option table not understood: {table[:200]}")
    return names


def main():
    if len(sys.argv) < 2:
        fail("usage: flag_tables.py SRC_CLI_DIR [--cases]")
    src = sys.argv[1]
    files = sorted(glob.glob(os.path.join(src, "*.c")))
    headers = sorted(glob.glob(os.path.join(src, "*.h")))
    if not files:
        fail(f"no C files in {src}")

    # Macros that are lists of option entries, spliced into tables.
    macros = {}
    for path in files + headers:
        text = strip_comments(open(path).read()).replace("\\\n", " ")
        for m in re.finditer(r"^#define\s+(\w+)\s+(.*)$", text, re.M):
            if "_argument" in m.group(2):
                macros[m.group(1)] = m.group(2)

    texts, items = {}, []
    for path in files:
        name = os.path.basename(path)
        text = strip_comments(open(path).read())
        for _ in range(3):
            for mac, body in macros.items():
                text = re.sub(rf"\b{mac}\b", lambda _m, b=body: b, text)
        texts[name] = text
        if name != "cli_getopt.c" and re.search(r"\bgetopt_long\s*\(", text):
            fail(f"{name} calls getopt_long itself: flags go through cli_getopt (exact names)")
        items += top_level_items(name, text)

    funcs = [it for it in items if it.kind == "function"]
    by_name = {}
    for f in funcs:
        by_name.setdefault(f.name, []).append(f)

    def resolve(name, file):
        """The function a call to name in file reaches: its own static one, else the global."""
        cands = by_name.get(name, [])
        local = [f for f in cands if f.file == file]
        if local:
            return local[0]
        glob_ = [f for f in cands if not f.static]
        return glob_[0] if glob_ else None

    def readers(obj):
        """The functions of obj's file that read the file-level object obj."""
        return [f for f in funcs if f.file == obj.file and re.search(rf"\b{obj.name}\b", f.body)]

    # Holders of command tables: (function, [(word, target function)]).
    dispatch = []

    def dispatch_entries(text, file):
        out = []
        for m in re.finditer(r'\{\s*"([\w-]+)"\s*,\s*(\w+)\s*[,}]', text):
            target = resolve(m.group(2), file)
            if target:
                out.append((m.group(1), target))
        return out

    for it in items:
        entries = dispatch_entries(it.body, it.file)
        if entries:
            holders = [it] if it.kind == "function" else readers(it)
            for h in holders:
                dispatch.append((h, entries))

    # Paths (binary, words) of every function, from the roots through command tables and calls.
    paths = {f: set() for f in funcs}
    for f in funcs:
        if f.name == "main" and f.file in ROOTS:
            paths[f].add((ROOTS[f.file], ()))
    if len([f for f in paths if paths[f]]) != len(ROOTS):
        fail(f"no main() in each of {', '.join(ROOTS)}")
    calls = {}
    for f in funcs:
        calls[f] = set()
        for m in re.finditer(r"\b(\w+)\s*\(", f.body):
            g = resolve(m.group(1), f.file)
            if g and g is not f:
                calls[f].add(g)
    changed = True
    while changed:
        changed = False
        for h, entries in dispatch:
            for binary, words in list(paths[h]):
                for word, target in entries:
                    p = (binary, words + (word,))
                    if p not in paths[target]:
                        paths[target].add(p)
                        changed = True
        for f in funcs:
            for g in calls[f]:
                if not paths[f] <= paths[g]:
                    paths[g] |= paths[f]
                    changed = True

    # Option tables: name -> its entries, per function (local) and per file (file level).
    def tables_in(text):
        out = {}
        for m in re.finditer(r"struct\s+option\s+(\w+)\s*\[\s*\]\s*=\s*\{", text):
            body = text[m.end() - 1 : match_brace(text, m.end() - 1)]
            out[m.group(1)] = option_names(body)
        return out

    file_tables = {}
    for it in items:
        if it.kind == "object" and re.search(r"struct\s+option\s*$", it.head.split(it.name)[0]):
            file_tables[(it.file, it.name)] = option_names(it.body)

    # Each cli_getopt() call: its table, or the tables the callers pass for a parameter.
    results = []  # (table id, flags, function whose paths apply)
    for f in funcs:
        if f.file == "cli_getopt.c":
            continue
        for m in re.finditer(r"\bcli_getopt\s*\(", f.body):
            args = call_args(f.body, m.end() - 1)
            if len(args) != 4:
                fail(f"{f}: cli_getopt call not understood: {args}")
            if args[2] in re.findall(r"\w+", f.head):  # a parameter: the callers' strings
                shorts = [a for c in funcs for k in re.finditer(rf"\b{f.name}\s*\(", c.body)
                          if c.file == f.file for a in call_args(c.body, k.end() - 1)
                          if a.startswith('"')]
            else:
                shorts = [args[2]]
            for s_ in shorts:
                if not s_.startswith('"+'):
                    fail(f"{f}: cli_getopt's short options must start with '+' (got {s_})")
            name = args[3]
            local = tables_in(f.body)
            if name in local:
                results.append((f"{f}:{name}", local[name], [f]))
            elif (f.file, name) in file_tables:
                results.append((f"{f.file}:{name}", file_tables[(f.file, name)], [f]))
            elif re.search(rf"\b{name}\s*[,)]", f.head):
                callers = [c for c in funcs if f in calls[c]]
                found = False
                for c in callers:
                    for tname, flags in tables_in(c.body).items():
                        results.append((f"{c}:{tname}", flags, [c]))
                        found = True
                if not found:
                    fail(f"{f}: no caller passes an option table for {name}")
            else:
                fail(f"{f}: option table {name} not found")
    if not results:
        fail("no cli_getopt call found")

    # The global flags of each binary, compared by hand in main().
    lines = []
    for f in funcs:
        if f.name == "main" and f.file in ROOTS:
            flags = sorted(set(re.findall(r'"--([a-z][a-z-]*)=?"', f.body)))
            if not flags:
                fail(f"{f}: no global flags found")
            lines.append((ROOTS[f.file], (), f"{f}:globals", flags))
    for tid, flags, owners in results:
        ps = sorted(set().union(*(paths[o] for o in owners)), key=lambda p: (len(p[1]), p))
        if not ps:
            fail(f"{tid}: no command reaches this table")
        for binary, words in ps:
            lines.append((binary, words, tid, flags))

    if "--cases" in sys.argv[2:]:
        print_cases(lines)
    else:
        for binary, words, tid, flags in lines:
            print(f"{binary}\t{' '.join(words)}\t{tid}\t{' '.join(flags)}")


def cases(flags, every):
    """The abbreviations of a table's flags to try: every proper prefix of three letters or more
    ("--pri", "--priv", ...) that is not itself the full name of another flag of the table, then
    the first flag's longest one with a value attached ("--privilege=1"). With every false (the
    same parser reached again by other command words), only the first of them."""
    out = []
    names = set(flags)
    for flag in flags:
        out += [f"--{flag[:k]}" for k in range(3, len(flag)) if flag[:k] not in names]
    if out:
        longest = max((a for a in out if flags[0].startswith(a[2:])), key=len, default=out[-1])
        out.append(f"{longest}=1")
    return out if every else out[:1]


def print_cases(lines):
    seen = set()
    for binary, words, tid, flags in lines:
        every = tid not in seen
        seen.add(tid)
        for arg in cases(flags, every):
            print(f"{binary}\t{' '.join(words)}\t{arg}")


if __name__ == "__main__":
    main()
