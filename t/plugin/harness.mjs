// harness.mjs: drives the OpenClaw plugin's handlers as OpenClaw would, with
// Node's standard library only (the machine's Node 20 runs it in make check).
//
//   node t/plugin/harness.mjs PLUGIN_DIR '{"pluginConfig": {...}, "config": {...}}' < steps
//
// Each line of standard input is a step:
//   {"hook": "before_tool_call", "event": {...}, "ctx": {...}, "answer": "allow-once"}
// and each prints one line: {"result": <what the handler returned>}, functions
// left out. With "answer", a requireApproval is answered through its
// onResolution, as OpenClaw does once the person has decided. With
// "resolve", a question claw puts up while the step runs (approvals.askVia
// "claw", or an outgoing message) is answered as a person would from a shell,
// with claw-approve resolve, as soon as its file appears. "concurrent": N on a
// step sends it N times at once. A step {"shell": "..."} runs a command
// between steps. At the end gateway_stop runs, so every decision in flight is
// logged before the harness exits.
//
// With OPENCLAW_PKG naming an installed openclaw package, the steps go through
// OpenClaw's own hook runner instead (t/plugin/openclaw.bats): its merging,
// its budgets, its failure policy (a before_tool_call handler that throws
// blocks; a message_sending one that throws is skipped).

import { execFileSync, execSync } from "node:child_process";
import { mkdirSync, readFileSync, watch } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [dir, optionsText = "{}"] = process.argv.slice(2);
const options = JSON.parse(optionsText);
const plugin = (await import(pathToFileURL(join(resolve(dir), "index.js")).href)).default;

const handlers = new Map();
const logged = [];
const api = {
  id: "claw",
  pluginConfig: options.pluginConfig ?? {},
  config: options.config ?? {},
  logger: {
    info: (m) => logged.push(["info", m]),
    warn: (m) => logged.push(["warn", m]),
    error: (m) => logged.push(["error", m]),
    debug: () => {},
  },
  on(name, handler) {
    handlers.set(name, handler);
  },
};
plugin.register(api);

/** The hooks as OpenClaw's runner calls them, or the handlers straight. */
async function runnerOf(pkg) {
  if (!pkg) return null;
  const sdk = (name) => import(pathToFileURL(join(pkg, "dist", "plugin-sdk", name)).href);
  const { initializeGlobalHookRunner } = await sdk("hook-runtime.js");
  const { getGlobalHookRunner } = await sdk("plugin-runtime.js");
  const typedHooks = [...handlers].map(([hookName, handler]) => ({
    pluginId: "claw",
    hookName,
    handler,
    source: "harness",
  }));
  initializeGlobalHookRunner({ hooks: [], typedHooks, plugins: [], diagnostics: [] });
  const runner = getGlobalHookRunner();
  return {
    before_tool_call: (event, ctx) => runner.runBeforeToolCall(event, { toolName: event.toolName, ...ctx }),
    message_sending: (event, ctx) => runner.runMessageSending(event, ctx),
  };
}
const runner = await runnerOf(process.env.OPENCLAW_PKG);

function printable(value) {
  return JSON.parse(JSON.stringify(value ?? null, (_k, v) => (typeof v === "function" ? undefined : v)));
}

/** Answers the first question claw puts up in the state dir, as a person at a shell would. */
function answering(word) {
  const dir = join(options.pluginConfig.stateDir, "approvals");
  mkdirSync(dir, { recursive: true });
  const state = ["--state-dir", options.pluginConfig.stateDir];
  let done = false;
  const w = watch(dir, (_event, name) => {
    const id = /^([0-9a-f-]{36})\.json$/.exec(name ?? "")?.[1];
    if (done || !id) return;
    done = true;
    execFileSync(join(options.pluginConfig.bin, "claw-approve"), ["resolve", ...state, id, word]);
  });
  return () => w.close();
}

async function step(s) {
  const handler = runner ? runner[s.hook] : handlers.get(s.hook);
  if (!handler) throw new Error(`the plugin has no ${s.hook} handler`);
  const stop = s.resolve ? answering(s.resolve) : () => {};
  const started = process.hrtime.bigint();
  const result = await handler(s.event ?? {}, s.ctx ?? {});
  stop();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (s.answer && result?.requireApproval) await result.requireApproval.onResolution(s.answer);
  return { result: printable(result), ms };
}

const input = readFileSync(0, "utf8").split("\n").filter((l) => l.trim());
for (const line of input) {
  const s = JSON.parse(line);
  if (s.shell) {
    execSync(s.shell, { stdio: ["ignore", "ignore", "inherit"] });
    continue;
  }
  if (s.concurrent) {
    const all = await Promise.all(Array.from({ length: s.concurrent }, () => step(s)));
    for (const r of all) console.log(JSON.stringify(r));
  } else {
    console.log(JSON.stringify(await step(s)));
  }
}
await handlers.get("gateway_stop")?.({}, {});
for (const [level, m] of logged) if (level !== "info") console.error(`${level}: ${m}`);
