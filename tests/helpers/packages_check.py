#!/usr/bin/python3
"""Every Debian package the suite, the benchmarks and the build use is in one of the Makefile's
package lists: the guard a new machine needs (a test that passed here for want of nothing may fail
there for want of a package installed by hand).

    /usr/bin/python3 tests/helpers/packages_check.py [--makefile F] [--repo DIR]

It reads the package lists (DEB_* in the Makefile and mk/*.mk), then every script the suite or the
benchmarks run, and finds
  - each Python module a script imports (in .py files, and in python heredocs and -c strings of
    shell scripts): the standard library needs nothing; any other module must come from a Debian
    package on a list;
  - each command a shell script or a Makefile recipe calls at a command position: the package that
    owns it (dpkg -S) must be Essential or of priority required (every Debian has those), or on a
    list; a command that resolves to a file no package owns (/usr/local/bin, a pyenv shim) is an
    error too, since a new machine has no such file.
A script's packages must be on the lists its make target installs: tests/ and .ci/ are run by
`make check` (DEB_BUILD DEB_TEST DEB_VM DEB_FUZZ), bench/ by `make bench` (DEB_BUILD DEB_BENCH).
Each problem is one line naming the file, the module or command, and the package to list; the
exit status is 1 when there is any.

Shell is read with a tokenizer, not a parser: only the top level of each line counts, so commands
inside quoted strings (`sh -c '...'` run by busybox in a container) are not host commands.
"""
import argparse
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys

# A script that carries this line runs under the VM's busybox, not on this host (tests/vm/init).
GUEST = "packages_check: runs in the VM guest"
CHECK_LISTS = ["DEB_BUILD", "DEB_TEST", "DEB_VM", "DEB_FUZZ"]
BENCH_LISTS = ["DEB_BUILD", "DEB_BENCH"]

# Words at a command position that are no command on PATH.
SHELL_WORDS = set("""
if then else elif fi case esac for select while until do done in function time coproc
! { } [[ ]] [ ]
. : source alias bg bind break builtin caller cd command compgen complete compopt continue
declare dirs disown echo enable eval exec exit export false fc fg getopts hash help history jobs
kill let local logout mapfile popd printf pushd pwd read readarray readonly return set shift
shopt suspend test times trap true type typeset ulimit umask unalias unset wait
""".split())

# Commands that run the command after their own options: the next word is a command too.
WRAPPERS = {"timeout", "exec", "env", "nohup", "setsid", "nice", "ionice", "xargs", "sudo",
            "command", "builtin", "unshare", "nsenter", "chroot", "stdbuf", "taskset", "time",
            "script", "flock", "chrt", "prlimit"}
# Options of those wrappers that take a value (so the value is not the command).
WRAPPER_ARGS = {"timeout": {"-s", "--signal", "-k", "--kill-after"},
                "xargs": {"-d", "-n", "-P", "-I", "-L", "-s", "-a", "-E"},
                "nsenter": {"-t", "--target", "-S", "-G"},
                "unshare": {"--propagation", "-S", "--setuid", "-G", "--setgid", "--map-user", "--map-group", "-w", "--wd", "-R", "--root"}, "env": {"-u", "-C"}, "nice": {"-n"}, "ionice": {"-c", "-n"},
                "flock": {"-w", "-E"}, "taskset": set(), "stdbuf": {"-i", "-o", "-e"},
                "chrt": set(), "prlimit": set()}
SEPARATORS = {";", "&&", "||", "|", "|&", "&", "(", ")", "`", ";;", ";&", ";;&"}
REDIRECTS = {"<", ">", ">>", "<<", "<<<", ">&", "<&", "&>", "&>>", ">|", "<>"}
# A case pattern at a line's start ("foo|bar)", "*)"): no command.
CASE_PATTERN = re.compile(r"^\s*\(?[^\s()|;&$]+(\s*\|\s*[^\s()|;&$]+)*\)(?!\))")
OPENERS = {"then", "do", "else", "elif", "if", "while", "until", "!", "{", "time"}


def make_lists(makefiles):
    """DEB_* variables of the Makefile and its included files: name -> set of packages."""
    lists = {}
    for mf in makefiles:
        text = open(mf).read().replace("\\\n", " ")
        for m in re.finditer(r"^(DEB_[A-Z_]+)\s*[:?+]?=\s*(.*)$", text, re.M):
            lists.setdefault(m.group(1), set()).update(m.group(2).split("#")[0].split())
    return lists


def scripts(repo):
    """(path, kind, lists) for every file whose packages must be listed."""
    out = []
    for top, lists in (("tests", CHECK_LISTS), (".ci", CHECK_LISTS), ("images", CHECK_LISTS),
                       ("bench", BENCH_LISTS)):
        for d, dirs, files in os.walk(os.path.join(repo, top)):
            dirs[:] = [x for x in dirs if x not in ("corpus", "__pycache__")]
            for f in sorted(files):
                p = os.path.join(d, f)
                kind = ("py" if f.endswith(".py") else
                        "sh" if f.endswith(".sh") or f in ("run", "init") else None)
                if kind is None and os.access(p, os.X_OK):
                    first = open(p, errors="replace").readline()
                    kind = "py" if "python" in first else "sh" if "sh" in first else None
                if kind:
                    # bench/conformance/ is run by make conformance, which adds its own list
                    extra = ["DEB_CONFORMANCE"] if "/bench/conformance/" in p else []
                    out.append((p, kind, lists + extra))
    for mf in [os.path.join(repo, "Makefile")] + sorted(
            os.path.join(repo, "mk", f) for f in os.listdir(os.path.join(repo, "mk"))):
        out.append((mf, "make", None))  # a recipe: any list (each target installs its own)
    return out


def py_imports(text):
    mods = set()
    for m in re.finditer(r"(?:^|[;'\"]|\bthen\b)\s*(?:import\s+([\w., ]+)|from\s+([\w.]+)\s+import\b)",
                         text, re.M):
        if m.group(1):
            mods.update(x.strip().split(".")[0] for x in m.group(1).split(",") if x.strip())
        else:
            mods.add(m.group(2).split(".")[0])
    return {x for x in mods if re.fullmatch(r"[A-Za-z_]\w*", x) and x not in ("once", "from")}


def shell_lines(text):
    """Logical lines of a shell script at its top level: comments and heredoc bodies dropped,
    continuations joined, a quoted string that spans lines kept whole."""
    lines = text.split("\n")
    i, buf = 0, ""
    heredoc = None
    while i < len(lines):
        line = lines[i]
        i += 1
        if heredoc:
            if line.strip() == heredoc:
                heredoc = None
            continue
        if not buf and line.lstrip().startswith("#"):
            continue
        buf = buf + "\n" + line if buf else line
        if buf.endswith("\\"):
            buf = buf[:-1]
            continue
        try:
            toks = tokens(CASE_PATTERN.sub("", buf, count=1))
        except ValueError:  # an open quote: the string goes on
            if i < len(lines):
                continue
            buf = ""
            continue
        m = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", buf)
        if m:
            heredoc = m.group(1)
        yield toks
        buf = ""


OPERATORS = sorted([";;&", "&>>", "<<<", ";;", ";&", "&&", "||", "|&", ">>", "<<", ">&", "<&", "&>",
                    ">|", "<>", "((", "))", "(", ")", ";", "&", "|", "<", ">"], key=len, reverse=True)


def tokens(line):
    """Shell words and operators; ${...} expansions become one word (their text is no command)."""
    line = re.sub(r"\$\{[^{}]*\}", "$X", line)
    lex = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
    lex.whitespace_split = True
    lex.commenters = "#"
    out = []
    for t in lex:
        if t and all(c in ";&|()<>" for c in t):  # shlex runs operators together: split them
            while t:
                op = next(o for o in OPERATORS if t.startswith(o))
                out.append(op)
                t = t[len(op):]
        else:
            out.append(t)
    return out


def commands_in(toks, functions):
    """Words of a token list that stand at a command position."""
    cmds = []
    at_cmd = True
    wrapper = None
    positional = 0  # flock FILE|FD: one positional argument before its command
    skip_value = False
    stack = []  # for each open ( ... ): the at_cmd state to restore at its )
    n = 0
    while n < len(toks):
        t = toks[n]
        last = toks[n - 1] if n else ""
        nxt = toks[n + 1] if n + 1 < len(toks) else ""
        n += 1
        if t == "((":  # (( arithmetic )), $(( ... )): no commands inside
            depth = 1
            while n < len(toks) and depth:
                depth += (toks[n] in ("(", "((")) * (1 + (toks[n] == "((")) - \
                    (toks[n] in (")", "))")) * (1 + (toks[n] == "))"))
                n += 1
            at_cmd = False if last.endswith("$") else at_cmd
            continue
        if t == "(":
            if last.endswith("="):  # an array literal: a=(x y z)
                while n < len(toks) and toks[n] != ")":
                    n += 1
                n += 1
                continue
            if not at_cmd and not last.endswith(("$", "<", ">")):
                continue  # a literal ( among a command's arguments (find's \( ... \))
            stack.append(at_cmd if last.endswith("$") or last in ("<", ">") else True)
            at_cmd, wrapper, skip_value = True, None, False
            continue
        if t == ")":
            at_cmd = stack.pop() if stack else True
            at_cmd = False if at_cmd is False else True
            wrapper, skip_value = None, False
            if at_cmd is False:
                continue
            continue
        if t in SEPARATORS or (at_cmd and t in OPENERS):
            at_cmd, wrapper, skip_value = True, None, False
            continue
        if t in REDIRECTS:
            skip_value = True
            continue
        if skip_value:
            skip_value = False
            continue
        if t.isdigit() and nxt in REDIRECTS:  # 2>/dev/null, 3<file
            continue
        if not at_cmd:
            continue
        if re.fullmatch(r"[A-Za-z_]\w*(\[[^]]*\])?\+?=.*", t, re.S):  # VAR=value before a command
            continue
        if wrapper:
            if t.startswith("-"):
                if t in WRAPPER_ARGS.get(wrapper, set()):
                    skip_value = True
                if wrapper == "command" and t in ("-v", "-V"):  # a lookup, not a call
                    at_cmd = False
                continue
            if wrapper == "timeout" and re.fullmatch(r"[\d.]+[smhd]?", t):
                continue
            if wrapper == "script":  # script(1) takes its command as -c STRING
                at_cmd = False
                continue
            if positional:
                positional -= 1
                if t.isdigit():  # flock FD: no command follows
                    at_cmd = False
                continue
        at_cmd = False
        wrapper = None
        if t in SHELL_WORDS or t in functions or "$" in t or "`" in t or "*" in t or "=" in t:
            if t in ("exec", "command", "time"):
                at_cmd, wrapper = True, t
            continue
        if t.startswith((".", "~", "-")) or not re.fullmatch(r"[\w./+-]+", t):
            continue
        if "/" in t and not t.startswith(("/usr/", "/bin/", "/sbin/")):
            continue
        cmds.append(t)
        base = t.rsplit("/", 1)[-1]
        if base in WRAPPERS:
            at_cmd, wrapper, positional = True, base, 1 if base == "flock" else 0
    return cmds


def make_recipes(text):
    """The shell lines of a Makefile's recipes ($(...) and $$ expansions blanked out)."""
    out = []
    text = text.replace("\\\n", " ")
    for line in text.split("\n"):
        if line.startswith("\t"):
            body = line[1:].lstrip("@-+ ")
            while re.search(r"\$\([^()]*\)", body):  # make's $(...), innermost first
                body = re.sub(r"\$\([^()]*\)", "$X", body)
            out.append(body.replace("$$", "$"))
    return "\n".join(out)


def dpkg_owners(paths):
    """path -> package, for the paths some installed package owns."""
    owners = {}
    if not paths:
        return owners
    res = subprocess.run(["dpkg-query", "-S", *paths], capture_output=True, text=True)
    for line in res.stdout.splitlines():
        pkgs, _, path = line.partition(": ")
        if "diversion" in line:
            continue
        owners.setdefault(path.strip(), pkgs.split(",")[0].split(":")[0].strip())
    return owners


def everywhere(pkgs):
    """The packages of pkgs that every Debian system has (Essential, or priority required)."""
    res = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Essential} ${Priority}\n", *pkgs],
                         capture_output=True, text=True)
    return {p for p, ess, prio in (l.split(" ", 2) for l in res.stdout.splitlines() if l.count(" ") >= 2)
            if ess == "yes" or prio == "required"}


def closure(pkgs):
    """pkgs and every installed package they depend on (Depends, Pre-Depends; recursively): what
    installing pkgs brings. Virtual names resolve through Provides."""
    res = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Status}\t${Depends}, ${Pre-Depends}\t${Provides}\n"],
                         capture_output=True, text=True)
    deps, provides = {}, {}
    for line in res.stdout.splitlines():
        name, status, dep, prov = (line.split("\t") + ["", "", ""])[:4]
        if "ok installed" not in status:
            continue
        alts = []
        for group in dep.split(","):
            names = [re.sub(r"[\s(:].*", "", a.strip()) for a in group.split("|")]
            alts.append([x for x in names if x])
        deps[name] = alts
        for v in prov.split(","):
            v = re.sub(r"[\s(:].*", "", v.strip())
            if v:
                provides.setdefault(v, []).append(name)
    seen, todo = set(), list(pkgs)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        for group in deps.get(p, []):
            for alt in group:
                for real in [alt] * (alt in deps) + provides.get(alt, []):
                    todo.append(real)
    return seen


def alternatives(path):
    """The files a command managed by update-alternatives may be (/usr/bin/awk: mawk's or
    gawk's), whichever the machine chose: installing one package (gawk) may move the link."""
    link = path
    for _ in range(8):
        if not os.path.islink(link):
            return []
        target = os.readlink(link)
        if target.startswith("/etc/alternatives/"):
            res = subprocess.run(["update-alternatives", "--list", os.path.basename(target)],
                                 capture_output=True, text=True)
            return res.stdout.split()
        link = os.path.join(os.path.dirname(link), target)
    return []


def candidates(path):
    """The names dpkg may know a file by (merged /usr: /bin/x is /usr/bin/x; an alternative's
    every choice)."""
    c = [path, os.path.realpath(path)] + alternatives(path)
    for p in list(c):
        if p.startswith("/usr/"):
            c.append(p[4:])
        elif p.startswith(("/bin/", "/sbin/", "/lib")):
            c.append("/usr" + p)
    return list(dict.fromkeys(c))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    ap.add_argument("--makefile", help="read the package lists from this Makefile instead")
    a = ap.parse_args()
    repo = a.repo
    mk = [a.makefile or os.path.join(repo, "Makefile")] + sorted(
        os.path.join(repo, "mk", f) for f in os.listdir(os.path.join(repo, "mk")) if f.endswith(".mk"))
    lists = make_lists(mk)
    files = [(p, k, w if w is not None else sorted(lists)) for p, k, w in scripts(repo)]

    texts = {p: open(p, errors="replace").read() for p, _, _ in files}
    functions = set()
    for p, kind, _ in files:
        if kind == "sh":
            functions.update(re.findall(r"^\s*(?:function\s+)?([\w-]+)\s*\(\)", texts[p], re.M))

    uses = []  # (file, "module"/"command", name, lists)
    for p, kind, want in files:
        text = texts[p]
        if kind in ("py", "sh"):
            for mod in sorted(py_imports(text)) if kind == "py" or "python" in text.lower() else []:
                uses.append((p, "module", mod, want))
        if kind == "sh" and GUEST in text:  # runs in the VM under busybox, not on this host
            continue
        if kind in ("sh", "make"):
            body = make_recipes(text) if kind == "make" else text
            for toks in shell_lines(body):
                for c in commands_in(toks, functions):
                    uses.append((p, "command", c, want))

    # Resolve every name once.
    where = {}
    for _, what, name, _ in uses:
        if (what, name) in where:
            continue
        if what == "module":
            if name in sys.stdlib_module_names or name in sys.builtin_module_names:
                where[(what, name)] = None  # the standard library
                continue
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec and spec.origin not in (None, "namespace") else (
                list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else None)
            where[(what, name)] = origin or "?"
        else:
            path = name if name.startswith("/") else shutil.which(name)
            where[(what, name)] = path or "?"
    allpaths = sorted({c for p in where.values() if p and p != "?" for c in candidates(p)})
    owners = dpkg_owners(allpaths)
    owner_of = {}
    for key, path in where.items():
        if path and path != "?":
            owner_of[key] = [owners[c] for c in candidates(path) if c in owners]
    common = everywhere(sorted({p for ps in owner_of.values() for p in ps}))
    # An alternative some package every Debian has provides counts as that package's.
    owner_of = {k: next((p for p in ps if p in common), ps[0] if ps else None)
                for k, ps in owner_of.items()}

    problems = []
    seen = set()
    brought = {}
    for f, what, name, want in uses:
        key = (what, name)
        path = where[key]
        if path is None:
            continue
        rel = os.path.relpath(f, repo)
        listed = set().union(*(lists.get(l, set()) for l in want))
        key_lists = tuple(want)
        if key_lists not in brought:
            brought[key_lists] = closure(listed)
        if path == "?":
            guess = "python3-" + name.lower().replace("_", "-") if what == "module" else name
            if guess and guess in listed:
                continue
            msg = (f"{rel}: {what} {name}: not found on this machine; list the Debian package that "
                   f"provides it" + (f" ({guess}?)" if what == "module" else "") + f" in {' or '.join(want)}")
        else:
            pkg = owner_of.get(key)
            if pkg is None:
                msg = (f"{rel}: {what} {name} resolves to {path}, which no Debian package owns: "
                       f"a new machine has no such file (use the Debian one by its path, e.g. /usr/bin/{os.path.basename(name)})")
            elif pkg in common or pkg in brought[key_lists]:
                continue
            else:
                msg = f"{rel}: {what} {name} ({path}) comes from {pkg}, which none of {' '.join(want)} lists"
        if msg not in seen:
            seen.add(msg)
            problems.append(msg)
    for m in problems:
        print(m)
    n_mod = len({n for _, w, n, _ in uses if w == "module"})
    n_cmd = len({n for _, w, n, _ in uses if w == "command"})
    print(f"packages: {len(files)} files, {n_mod} modules, {n_cmd} commands, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
