#!/usr/bin/python3
"""The commands README.md and docs/*.md show in their code blocks, one per output line as
FILE:LINE<TAB>COMMAND, for tests/integration/test_docs.sh to run (so none can rot).

A code block is a fenced block (``` with no language, or sh/bash/console/shell) or an indented
one (4 spaces or a tab, after a blank line). Of its lines, those whose first word is `berth` or
`curl` are commands; a line may hold several separated by ';' (outside quotes), and a trailing
'# ...' outside quotes is a comment. A synopsis is no command: a line with '...' or a
'[OPTION]' in brackets is skipped.

usage: doc_commands.py REPO_DIR
"""
import glob
import os
import re
import sys

SHELL_LANGS = {"", "sh", "bash", "console", "shell"}
COMMANDS = ("berth", "curl")


def code_lines(path):
    """(line number, text) of every line in a code block of a markdown file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    fence = None  # the language of the open fenced block, or None
    prev_blank = True
    in_indented = False
    for n, line in enumerate(lines, 1):
        m = re.match(r"^\s*```(\w*)", line)
        if m:
            fence = m.group(1) if fence is None else None
            continue
        if fence is not None:
            if fence in SHELL_LANGS:
                yield n, line.strip()
            continue
        indented = line.startswith("    ") or line.startswith("\t")
        if indented and (prev_blank or in_indented):
            in_indented = True
            yield n, line.strip()
        elif line.strip():
            in_indented = False
        prev_blank = not line.strip()


def split_commands(text):
    """Splits at ';' and cuts at '#' (after whitespace), both outside quotes."""
    out, cur, quote = [], "", None
    for i, ch in enumerate(text):
        if quote:
            cur += ch
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            cur += ch
        elif ch == ";":
            out.append(cur)
            cur = ""
        elif ch == "#" and (i == 0 or text[i - 1].isspace()):
            break
        else:
            cur += ch
    out.append(cur)
    return [c.strip() for c in out if c.strip()]


def is_synopsis(cmd):
    return "..." in cmd or re.search(r"\[-?-?[A-Za-z]", cmd) is not None


def main():
    repo = sys.argv[1]
    files = [os.path.join(repo, "README.md")] + sorted(glob.glob(os.path.join(repo, "docs", "*.md")))
    for f in files:
        rel = os.path.relpath(f, repo)
        for n, text in code_lines(f):
            for cmd in split_commands(text):
                if cmd.split()[0] in COMMANDS and not is_synopsis(cmd):
                    print(f"{rel}:{n}\t{cmd}")


if __name__ == "__main__":
    main()
