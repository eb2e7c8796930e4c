#!/usr/bin/python3
"""The long flags of every command of berth and berth-runtime, read from the sources of src/cli,
so that a test over them covers a new flag or command without a list to keep up to date.

    flag_tables.py SRC_CLI_DIR           one line per command and option table:
                                         BINARY <TAB> COMMAND WORDS <TAB> TABLE <TAB> FLAGS
    flag_tables.py SRC_CLI_DIR --cases [K/N]
                                         one line per abbreviation to try (see cases()):
                                         BINARY <TAB> COMMAND WORDS <TAB> ARGUMENT
                                         (with K/N, only the K-th of N consecutive slices)

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


def literal_end(text, i):
    """The index just past the string or character literal that starts at text[i]."""
    j = i + 1
    while j < len(text) and text[j] != text[i]:
        j += 2 if text[j] == "\\" else 1
    return j + 1


def pieces(text, i=0):
    """(index, piece) of text from i on: a whole string or character literal, else a character."""
    while i < len(text):
        j = literal_end(text, i) if text[i] in "\"'" else i + 1
        yield i, text[i:j]
        i = j


def strip_comments(text):
    """The text with comments blanked (strings and characters kept as they are)."""
    out, i = [], 0
    while i < len(text):
        if text[i] in "\"'":
            j = literal_end(text, i)
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = len(text) if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
            continue
        else:
            j = i + 1
        out.append(text[i:j])
        i = j
    return "".join(out)


def match_close(text, i, opening="{", closing="}"):
    """The index just past the bracket that closes the one at text[i], literals skipped."""
    depth = 0
    for k, p in pieces(text, i):
        depth += (p == opening) - (p == closing)
        if depth == 0:
            return k + 1
    fail(f"unbalanced {opening}{closing}")


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
        end = match_close(text, j)
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
    """The arguments of the call whose "(" is at text[i], split at its own commas."""
    args, depth, cur = [], 0, []
    for _, p in pieces(text[i + 1 : match_close(text, i, "(", ")") - 1]):
        depth += (p in "({") - (p in ")}")
        if p == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(p)
    return args + ["".join(cur).strip()]


def option_names(table):
    """The long names of an option table's text; an entry not understood is an error."""
    names = re.findall(r'\{\s*"([^"]+)"\s*,\s*(?:no|required|optional)_argument', table)
    if len(names) != table.count('"') // 2:
        fail(f"option table not understood: {table[:200]}")
    return names


def load(src):
    """The functions and file-level objects of src/**/*.c, comments out, option macros spliced."""
    files = sorted(glob.glob(os.path.join(src, "**", "*.c"), recursive=True))
    if not files:
        fail(f"no C files in {src}")
    macros = {}  # macros that are lists of option entries (RESOURCE_LONG_OPTS)
    for path in files + sorted(glob.glob(os.path.join(src, "**", "*.h"), recursive=True)):
        text = strip_comments(open(path).read()).replace("\\\n", " ")
        for m in re.finditer(r"^#define\s+(\w+)\s+(.*)$", text, re.M):
            if "_argument" in m.group(2):
                macros[m.group(1)] = m.group(2)
    items = []
    for path in files:
        name = os.path.basename(path)
        text = strip_comments(open(path).read())
        for mac, body in macros.items():
            text = re.sub(rf"\b{mac}\b", lambda _m, b=body: b, text)
        if name != "cli_getopt.c" and re.search(r"\bgetopt_long\s*\(", text):
            fail(f"{name} calls getopt_long itself: flags go through cli_getopt (exact names)")
        items += top_level_items(name, text)
    return items


class Program:
    """The functions of src/cli, who calls whom, and the command words that reach each."""

    def __init__(self, items):
        self.items = items
        self.funcs = [it for it in items if it.kind == "function"]
        self.calls = {f: {g for m in re.finditer(r"\b(\w+)\s*\(", f.body)
                          if (g := self.resolve(m.group(1), f.file)) and g is not f}
                      for f in self.funcs}
        self.paths = self.command_paths()

    def resolve(self, name, file):
        """The function a call to name in file reaches: its own static one, else the global."""
        cands = [f for f in self.funcs if f.name == name]
        local = [f for f in cands if f.file == file]
        public = [f for f in cands if not f.static]
        return (local or public or [None])[0]

    def command_paths(self):
        """{function: {(binary, command words)}}, from the roots through tables and calls."""
        dispatch = []  # (holder function, [(word, function)])
        for it in self.items:
            entries = [(m.group(1), t)
                       for m in re.finditer(r'\{\s*"([\w-]+)"\s*,\s*(\w+)\s*[,}]', it.body)
                       if (t := self.resolve(m.group(2), it.file))]
            if entries:
                holders = [it] if it.kind == "function" else [
                    f for f in self.funcs
                    if f.file == it.file and re.search(rf"\b{it.name}\b", f.body)]
                dispatch += [(h, entries) for h in holders]
        paths = {f: set() for f in self.funcs}
        for f in self.funcs:
            if f.name == "main" and f.file in ROOTS:
                paths[f].add((ROOTS[f.file], ()))
        if sum(1 for p in paths.values() if p) != len(ROOTS):
            fail(f"no main() in each of {', '.join(ROOTS)}")
        changed = True
        while changed:
            changed = False
            for h, entries in dispatch:
                for (binary, words), (word, target) in [(p, e) for p in paths[h] for e in entries]:
                    if (binary, words + (word,)) not in paths[target]:
                        paths[target].add((binary, words + (word,)))
                        changed = True
            for f in self.funcs:
                for g in self.calls[f]:
                    if not paths[f] <= paths[g]:
                        paths[g] |= paths[f]
                        changed = True
        return paths


def tables_in(text):
    """{name: long names} of the struct option tables defined in text."""
    out = {}
    for m in re.finditer(r"struct\s+option\s+(\w+)\s*\[\s*\]\s*=\s*\{", text):
        out[m.group(1)] = option_names(text[m.end() - 1 : match_close(text, m.end() - 1)])
    return out


def getopt_tables(prog):
    """[(table id, long names, function whose command paths apply)], one per option table that
    a cli_getopt() call parses with: its own, its file's, or its callers' for a parameter."""
    file_tables = {(it.file, it.name): option_names(it.body) for it in prog.items
                   if it.kind == "object" and re.search(r"struct\s+option\s*$",
                                                        it.head.split(it.name)[0])}
    results = []
    for f in prog.funcs:
        if f.file == "cli_getopt.c":
            continue
        callers = [c for c in prog.funcs if f in prog.calls[c]]
        for m in re.finditer(r"\bcli_getopt\s*\(", f.body):
            args = call_args(f.body, m.end() - 1)
            if len(args) != 4:
                fail(f"{f}: cli_getopt call not understood: {args}")
            shorts = [args[2]]
            if args[2] in re.findall(r"\w+", f.head):  # a parameter: the callers' strings
                shorts = [a for c in callers for k in re.finditer(rf"\b{f.name}\s*\(", c.body)
                          for a in call_args(c.body, k.end() - 1) if a.startswith('"')]
            for s in shorts:
                if not s.startswith('"+'):
                    fail(f"{f}: cli_getopt's short options must start with '+' (got {s})")
            name = args[3]
            if name in tables_in(f.body):
                results.append((f"{f}:{name}", tables_in(f.body)[name], f))
            elif (f.file, name) in file_tables:
                results.append((f"{f.file}:{name}", file_tables[(f.file, name)], f))
            elif re.search(rf"\b{name}\s*[,)]", f.head):
                passed = [(f"{c}:{t}", flags, c) for c in callers
                          for t, flags in tables_in(c.body).items()]
                if not passed:
                    fail(f"{f}: no caller passes an option table for {name}")
                results += passed
            else:
                fail(f"{f}: option table {name} not found")
    if not results:
        fail("no cli_getopt call found")
    return results


def main():
    if len(sys.argv) < 2:
        fail("usage: flag_tables.py SRC_CLI_DIR [--cases [K/N]]")
    prog = Program(load(sys.argv[1]))
    lines = []  # (binary, command words, table id, long names)
    for f in prog.funcs:  # the global flags, compared by hand in main()
        if f.name == "main" and f.file in ROOTS:
            flags = sorted(set(re.findall(r'"--([a-z][a-z-]*)=?"', f.body)))
            if not flags:
                fail(f"{f}: no global flags found")
            lines.append((ROOTS[f.file], (), f"{f}:globals", flags))
    for tid, flags, owner in getopt_tables(prog):
        if not prog.paths[owner]:
            fail(f"{tid}: no command reaches this table")
        for binary, words in sorted(prog.paths[owner], key=lambda p: (len(p[1]), p)):
            lines.append((binary, words, tid, flags))
    if sys.argv[2:3] == ["--cases"]:
        part = re.fullmatch(r"(\d+)/(\d+)", sys.argv[3] if len(sys.argv) > 3 else "1/1")
        if not part or not 1 <= int(part.group(1)) <= int(part.group(2)):
            fail(f"--cases {sys.argv[3]}: not K/N")
        print_cases(lines, int(part.group(1)), int(part.group(2)))
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


def print_cases(lines, k, n):
    out, seen = [], set()
    for binary, words, tid, flags in lines:
        out += [f"{binary}\t{' '.join(words)}\t{arg}" for arg in cases(flags, tid not in seen)]
        seen.add(tid)
    for line in out[(k - 1) * len(out) // n : k * len(out) // n]:
        print(line)


if __name__ == "__main__":
    main()
