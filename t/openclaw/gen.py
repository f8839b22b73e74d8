"""gen.py: the generated cases of the differential test (t/openclaw/README).

Each case is one request and the config it is judged under:
  {"id", "kind": "session"|"policy"|"exec", "config": {...openclaw.json},
   "approvals": {...exec-approvals.json} (exec), "request": {...a claw record}}
The same case goes to OpenClaw (oc.mjs) and to claw (differ.py), so a case
is written in claw's record format and oc.mjs translates it.

The generators draw from small pools of values chosen for where the two
implementations could part: case, blanks, missing members, odd kinds, aliases,
and the keys that look alike. A seed makes a run repeatable.
"""
import random

# ---- pools ----

CHANNELS = ["discord", "slack", "whatsapp", "signal", "matrix", "webchat", "Discord", " slack ", ""]
ACCOUNTS = [None, None, "default", "work", "Work", " work "]
CHATS = [None, "direct", "dm", "group", "channel", "Direct", "GROUP", "Channel", " group ", "DM",
         "thread", "supergroup"]
PEERS = [None, None, "", "  ", "123", "AbC", " x ", "alice", 42, "G-77", "!Room:Example.org"]
SENDERS = [None, None, "", "123", "999", "alice", "Alice", "@bob"]
THREADS = [None, None, None, "T9", "", "  ", 42, "Thr"]
AGENT_IDS = ["main", "work", "Work", "WORK", " work ", "ops", "bad id!", ""]
SESSION_KEYS = ["main", "MAIN", "agent:main:main", "agent:main:MAIN", "agent:work:main", "agent:WORK:main",
                "agent:work:discord:group:x", "agent:main:discord:direct:123", "global", "Global",
                "agent:main:subagent:abc", "agent:main:cron:job1", "cron:job1", "hook:x",
                "agent:main:home", "home", "agent:ops:main"]
TOOLS = ["exec", "read", "write", "edit", "apply_patch", "browser", "gateway", "message",
         "sessions_send", "sessions_spawn", "web_fetch", "nodes", "automations", "cron", "Bash",
         " EXEC ", "apply-patch", "image", "view_image", "session_status", "my_plugin_tool", "process",
         "canvas", "telegram"]
PROVIDERS = [None, "openai", "OpenAI", "anthropic", "Anthropic ", "google"]
MODELS = [None, "gpt-5", "GPT-5", "claude-opus"]


def pick(r, pool):
    return pool[r.randrange(len(pool))]


def maybe(r, p, value):
    return value if r.random() < p else None


def prune(d):
    """Drops members whose value is None (an absent member)."""
    if isinstance(d, dict):
        return {k: prune(v) for k, v in d.items() if v is not None}
    if isinstance(d, list):
        return [prune(v) for v in d]
    return d


# ---- configs ----

def session_config(r):
    s = {
        "dmScope": pick(r, [None, "main", "per-peer", "per-channel-peer", "per-account-channel-peer"]),
        "groupScope": pick(r, [None, None, "per-group", "main"]),
        "mainKey": pick(r, [None, None, None, "main", "home", "Work"]),
        "scope": pick(r, [None, None, None, None, "per-sender", "global"]),
        "identityLinks": maybe(r, 0.3, {"alice": ["discord:123", "slack:999"], "bob": ["555"]}),
    }
    return s


def sandbox(r):
    return {"mode": pick(r, ["off", "non-main", "non-main", "all"])}


def roster(r, with_tools=None):
    """agents.list: absent, or a few agents in varied spellings."""
    if r.random() < 0.35:
        return None
    ids = r.sample(["main", "work", "Work", "ops"], r.randint(1, 3))
    if "work" in ids and "Work" in ids:
        ids.remove("Work")
    out = []
    for i, a in enumerate(ids):
        e = {"id": a}
        if r.random() < 0.4:
            e["sandbox"] = sandbox(r)
        if with_tools is not None and r.random() < 0.7:
            e["tools"] = with_tools(r)
        if i == 0 and r.random() < 0.5:
            e["default"] = True
        out.append(e)
    return out


def bindings(r, agents):
    if r.random() < 0.5:
        return None
    names = [a["id"] for a in agents] if agents else ["main", "work"]
    out = []
    for _ in range(r.randint(1, 3)):
        m = {"channel": pick(r, ["discord", "slack", "Discord", "signal"])}
        kind = r.random()
        if kind < 0.4:
            m["peer"] = {"kind": pick(r, ["direct", "group", "channel", "Group", "dm"]),
                         "id": pick(r, ["123", "AbC", "*", "G-77", "alice"])}
        elif kind < 0.55:
            m["guildId"] = pick(r, ["g1", "G1"])
            if r.random() < 0.5:
                m["roles"] = ["admin"]
        elif kind < 0.65:
            m["teamId"] = "t1"
        if r.random() < 0.5:
            m["accountId"] = pick(r, ["default", "work", "*", "Work"])
        b = {"agentId": pick(r, names + ["WORK"]), "match": m}
        if r.random() < 0.15:
            b["session"] = {"dmScope": pick(r, ["main", "per-peer"])}
        out.append(b)
    return out


# ---- requests ----

def origin(r, channels=CHANNELS):
    return {
        "channel": maybe(r, 0.95, pick(r, channels)),
        "account": pick(r, ACCOUNTS),
        "chat": pick(r, CHATS),
        "peer": pick(r, PEERS),
        "sender": pick(r, SENDERS),
        "thread": pick(r, THREADS),
        "parent": maybe(r, 0.1, pick(r, ["123", "G-77"])),
        "guild": maybe(r, 0.15, pick(r, ["g1", "G1"])),
        "team": maybe(r, 0.05, "t1"),
        "roles": maybe(r, 0.1, ["admin"]),
        "owner": maybe(r, 0.3, pick(r, [True, False])),
    }


def telegram_origin(r):
    """Telegram: numeric chats, forum topics and DM threads as its Bot API gives them."""
    group = r.random() < 0.5
    chat = pick(r, ["-100123", "-100777", -100123]) if group else pick(r, ["777", "42", None])
    return {
        "channel": pick(r, ["telegram", "Telegram"]),
        "account": pick(r, [None, None, "default", "work"]),
        "chat": pick(r, ["group", "GROUP"]) if group else pick(r, [None, "direct", "dm"]),
        "peer": chat,
        "sender": pick(r, [None, "42", "777", "99"]),
        "thread": maybe(r, 0.5, pick(r, ["42", "7", 9])),
    }


def request(r):
    """A request: from a chat (origin), or by sessionKey, or the operator's."""
    x = r.random()
    if x < 0.15:
        return {"origin": telegram_origin(r)}
    if x < 0.7:
        return {"origin": origin(r)}
    if x < 0.9:
        return {"sessionKey": pick(r, SESSION_KEYS)}
    return {"agent": maybe(r, 0.7, pick(r, AGENT_IDS))}


def gen_session(r, n):
    for i in range(n):
        agents = roster(r)
        cfg = {
            "session": session_config(r),
            "agents": {"defaults": {"sandbox": sandbox(r)}, "list": agents},
            "bindings": bindings(r, agents),
        }
        yield prune({"id": f"s{i}", "kind": "session", "config": cfg, "request": request(r)})


# ---- tool policy ----

def tool_list(r, n=3):
    pool = ["exec", "read", "write", "group:fs", "group:runtime", "group:web", "browser", "web_*",
            "Exec", " BASH ", "apply_patch", "message", "sessions_*", "*", "image", "canvas", "cron"]
    return r.sample(pool, r.randint(1, n))


def policy_obj(r, profile=True):
    p = {}
    if profile and r.random() < 0.3:
        p["profile"] = pick(r, ["minimal", "coding", "messaging", "full"])
    c = r.random()
    if c < 0.3:
        p["allow"] = tool_list(r)
    elif c < 0.45:
        p["alsoAllow"] = tool_list(r)
    if r.random() < 0.5:
        p["deny"] = tool_list(r)
    return p


def by_provider(r):
    if r.random() < 0.6:
        return None
    out = {}
    keys = r.sample(["openai", "OpenAI", "OPENAI", "anthropic", "openai/gpt-5", "OpenAI/GPT-5",
                     " openai "], r.randint(1, 3))
    for k in keys:
        out[k] = policy_obj(r)
    return out


def tools_obj(r):
    t = policy_obj(r)
    t["byProvider"] = by_provider(r)
    return t


def policy_config(r):
    agents = roster(r, with_tools=tools_obj)
    tools = tools_obj(r)
    if r.random() < 0.3:
        tools["sandbox"] = {"tools": policy_obj(r, profile=False)}
    cfg = {
        "session": {"dmScope": pick(r, [None, "main", "per-channel-peer"])},
        "tools": tools,
        "agents": {"defaults": {"sandbox": sandbox(r)}, "list": agents},
    }
    if r.random() < 0.2:
        cfg["channels"] = {"discord": {"groups": {pick(r, ["g-77", "G-77", "*"]): {"tools": policy_obj(r, profile=False)}}}}
    return cfg


def policy_request(r):
    x = r.random()
    if x < 0.3:
        rq = {"agent": pick(r, AGENT_IDS[:5])}
    elif x < 0.5:
        # A record that carries a session member, as if claw-session had run,
        # sometimes without its agent.
        key = pick(r, SESSION_KEYS)
        s = {"key": key}
        if r.random() < 0.5:
            s["agent"] = pick(r, ["main", "work", "WORK"])
        rq = {"session": s}
    elif x < 0.65:
        rq = {"sessionKey": pick(r, SESSION_KEYS)}
    else:
        rq = {"origin": origin(r, channels=["discord", "slack", "signal", "webchat"])}
    if r.random() < 0.5:
        rq["model"] = {"provider": pick(r, PROVIDERS), "id": pick(r, MODELS)}
    rq["tool"] = pick(r, TOOLS)
    return rq


def gen_policy(r, n):
    for i in range(n):
        yield prune({"id": f"p{i}", "kind": "policy", "config": policy_config(r), "request": policy_request(r)})


# ---- exec approvals ----

COMMANDS = [
    "ls -l", "ls", "git status", "git push", "python3 -c 1", "python3 x.py", "python3 -Ic 1",
    "node -e 1", "perl -e 1", "awk '{print}' /etc/hostname", "sed -n 1p /etc/hostname",
    "stdbuf -oL ls", "env FOO=1 ls", "env ls", "nice ls", "nohup ls", "timeout 5 ls", "sudo ls",
    "command ls", "sh -c 'ls'", "bash -lc 'ls -l'", "ls | wc -l", "ls && rm -rf /tmp/x",
    "echo $(id)", "echo `id`", "ls > /tmp/out", "cat /etc/hostname", "head -n 1",
    "sort -o /tmp/x", "wc -l", "cut -d: -f1", "tr a b", "grep -r x .",
    "/approve abc123 allow-once", "openclaw channels login", "echo security.audit.suppressions",
    "find . -exec rm {} \\;", "xargs rm", "true", "cd /tmp", "FOO=1 ls", "ls; id", "ls || id",
    "/usr/bin/ls -a", "./script.sh", "jq . /etc/hostname", "make -f x", "tail -f /var/log/syslog",
    "python3 -m http.server", "ls 2>&1", "cat <<EOF\nx\nEOF",
]

PATTERNS = ["/usr/bin/ls", "ls", "*", "/usr/bin/*", "/usr/bin/python3", "/usr/bin/awk", "/usr/bin/git",
            "git", "/usr/bin/env", "/usr/bin/stdbuf", "/usr/bin/sh", "/usr/**", "/usr/bin/l?",
            "/usr/bin/node", "/usr/bin/perl", "/usr/bin/cat", "/usr/bin/find", "/usr/bin/xargs",
            "/usr/bin/python3*", "/bin/ls", "/usr/bin/sudo", "/usr/bin/nice", "/usr/bin/timeout"]


def allow_entry(r):
    e = {"pattern": pick(r, PATTERNS)}
    if r.random() < 0.2:
        e["argPattern"] = pick(r, ["^status$", "^-l$", ".*", "^-c", "^$", "status"])
    return e


def approvals_file(r):
    f = {"version": 1}
    if r.random() < 0.6:
        f["defaults"] = prune({
            "security": pick(r, [None, "deny", "allowlist", "full"]),
            "ask": pick(r, [None, "off", "on-miss", "always"]),
            "askFallback": pick(r, [None, "deny", "allowlist", "full"]),
        })
    agents = {}
    for a in r.sample(["*", "main"], r.randint(1, 2)):
        agents[a] = prune({
            "security": maybe(r, 0.2, pick(r, ["allowlist", "full"])),
            "allowlist": [allow_entry(r) for _ in range(r.randint(0, 4))],
        })
    f["agents"] = agents
    return f


def exec_config(r):
    e = {
        "security": pick(r, [None, "allowlist", "allowlist", "full", "deny"]),
        "ask": pick(r, [None, "off", "on-miss", "on-miss", "always"]),
        "strictInlineEval": maybe(r, 0.3, True),
        "safeBins": maybe(r, 0.2, pick(r, [[], ["head", "wc"], ["jq", "sort", "grep"]])),
    }
    return {"tools": {"exec": e}}


def gen_exec(r, n, cwd):
    for i in range(n):
        rq = {"tool": "exec", "args": {"command": pick(r, COMMANDS), "workdir": cwd}}
        yield prune({"id": f"e{i}", "kind": "exec", "config": exec_config(r),
                     "approvals": approvals_file(r), "request": rq})


# ---- fixed cases: the classes issue 20 found looser, first in every run ----

NON_MAIN = {"defaults": {"sandbox": {"mode": "non-main"}}}
WORK_DENIES_EXEC = {"defaults": {"sandbox": {"mode": "off"}},
                    "list": [{"id": "main", "default": True}, {"id": "work", "tools": {"deny": ["exec"]}}]}
ALLOWLIST = {"tools": {"exec": {"security": "allowlist", "ask": "on-miss"}}}


def allow(*entries):
    return {"version": 1, "agents": {"*": {"allowlist": list(entries)}}}


FIXED = {
    "session": [
        ({"session": {"dmScope": "per-channel-peer"}, "agents": NON_MAIN},
         {"origin": {"channel": "discord", "chat": "direct"}}),
        ({"session": {"dmScope": "main"}, "agents": NON_MAIN},
         {"origin": {"channel": "discord", "chat": "direct"}}),
        ({"session": {"dmScope": "per-channel-peer"}, "agents": NON_MAIN},
         {"origin": {"channel": "slack", "chat": "direct", "sender": "U1"}}),
        ({"session": {"groupScope": "main"}, "agents": NON_MAIN},
         {"origin": {"channel": "discord", "chat": "group", "peer": "G1", "thread": "T9"}}),
        ({"session": {"dmScope": "per-peer"}, "agents": NON_MAIN},
         {"origin": {"channel": "discord", "chat": "Direct", "peer": "123"}}),
        ({"agents": NON_MAIN}, {"origin": {"channel": "discord", "chat": "GROUP", "peer": "G1"}}),
    ],
    "policy": [
        ({"agents": WORK_DENIES_EXEC}, {"agent": "WORK", "tool": "exec"}),
        ({"agents": WORK_DENIES_EXEC}, {"session": {"key": "agent:work:main"}, "tool": "exec"}),
        ({"agents": WORK_DENIES_EXEC}, {"session": {"key": "agent:work:main", "agent": "WORK"}, "tool": "exec"}),
        ({"tools": {"byProvider": {"OpenAI": {"deny": ["exec"]}, "openai": {"allow": ["exec"]}}}},
         {"model": {"provider": "openai"}, "tool": "exec"}),
        ({"tools": {"byProvider": {"openai": {"allow": ["exec"]}, "OPENAI": {"deny": ["exec"]}}}},
         {"model": {"provider": "OpenAI"}, "tool": "read"}),
    ],
    "exec": [
        ({"tools": {"exec": {"security": "full", "strictInlineEval": True}}}, None, "python3 -c 1"),
        (ALLOWLIST, allow({"pattern": "*", "argPattern": "^status$"}), "git status"),
        (ALLOWLIST, allow({"pattern": "*", "argPattern": "^status$"}), "git push"),
        (ALLOWLIST, allow({"pattern": "/usr/bin/python3"}), "python3 /dev/null"),
        (ALLOWLIST, allow({"pattern": "/usr/bin/awk"}), "awk 'BEGIN{}'"),
        (ALLOWLIST, allow({"pattern": "/usr/bin/ls"}), "stdbuf -oL ls"),
        (ALLOWLIST, allow({"pattern": "/usr/bin/ls"}), "ls"),
    ],
}


def fixed(kind, cwd):
    for i, row in enumerate(FIXED[kind]):
        c = {"id": f"{kind[0]}f{i}", "kind": kind, "config": row[0]}
        if kind == "exec":
            if row[1] is not None:
                c["approvals"] = row[1]
            c["request"] = {"tool": "exec", "args": {"command": row[2], "workdir": cwd}}
        else:
            c["request"] = row[1]
        yield c


GENERATORS = {"session": gen_session, "policy": gen_policy, "exec": gen_exec}


def generate(seed, count, kinds, cwd):
    r = random.Random(seed)
    for k in kinds:
        yield from fixed(k, cwd)
        g = GENERATORS[k]
        yield from (g(r, count, cwd) if k == "exec" else g(r, count))
