#!/usr/bin/env python3
"""Generates commands every row of claw's argument models must refuse.

Reads `claw-approve models --json` on standard input and writes one exec
request a line: for every option a row marks as doing more than print
(running, writing, reading, changing the system, code), the option spelt
as the program would read it in every way it can: its short name alone, in
a cluster behind a harmless short option of the same row (-qx CMD, -qxCMD),
its long name with the value attached and apart, and the shortest prefix
of its long name no other option of the row shares (--to-com=sh). For every
row with a risky operand, that operand with and without `--` before it.
"""
import json
import shlex
import sys

RISKY = {"runs", "system", "asks", "writes", "overwrites", "reads", "inline",
         "module", "stdin", "code"}


def longs(row):
    names = []
    for group in row["plain"] + row["options"]:
        names += [n[2:] for n in group["names"] if n.startswith("--")]
    return names


def shortest_prefix(name, all_names):
    for n in range(1, len(name)):
        prefix = name[:n]
        if not any(o != name and o.startswith(prefix) for o in all_names):
            return prefix
    return name


def harmless_short(row, avoid):
    for group in row["plain"]:
        if group["arg"] != "none":
            continue
        for n in group["names"]:
            if len(n) == 2 and n[1].isalpha() and n[1] not in avoid:
                return n[1]
    return None


def spellings(row, opt):
    value = opt["sample"] or "x"
    arg = opt["arg"]
    shorts = [n[1] for n in opt["names"] if len(n) == 2]
    out = []
    for s in shorts:
        if arg == "none":
            out.append(["-" + s])
        elif arg == "required":
            out += [["-" + s, value], ["-" + s + value]]
        else:
            out.append(["-" + s + value])
        other = harmless_short(row, shorts)
        if other:
            if arg == "none":
                out.append(["-" + other + s])
            elif arg == "required":
                out += [["-" + other + s, value], ["-" + other + s + value]]
            else:
                out.append(["-" + other + s + value])
    everyone = longs(row)
    for n in opt["names"]:
        if not n.startswith("--"):
            continue
        for name in {n[2:], shortest_prefix(n[2:], everyone)}:
            if arg == "none":
                out.append(["--" + name])
            elif arg == "required":
                out += [["--" + name + "=" + value], ["--" + name, value]]
            else:
                out.append(["--" + name + "=" + value])
    return out


def command(row, words):
    argv = [row["program"]]
    if row["sub"]:
        argv += row["sub"].split()
    argv += words
    if row["after"]:
        argv.append(row["after"])
    return " ".join(shlex.quote(w) for w in argv)


def main():
    workdir = sys.argv[1]
    seen = set()
    for line in sys.stdin:
        row = json.loads(line)
        cases = []
        for opt in row["options"]:
            if opt["effect"] in RISKY or opt.get("inline"):
                cases += spellings(row, opt)
        if row["riskyOperand"]:
            cases += [[row["riskyOperand"]], ["--", row["riskyOperand"]]]
        for words in cases:
            c = command(row, words)
            if c in seen:
                continue
            seen.add(c)
            print(json.dumps({"id": c, "tool": "exec",
                              "args": {"command": c, "workdir": workdir}}))


main()
