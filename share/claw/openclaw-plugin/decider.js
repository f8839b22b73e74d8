// decider.js: claw's decision pipeline as co-processes for the OpenClaw plugin.
//
// Each co-process is `claw-hook decide`: request records in, each decided by
// claw-session | claw-policy | claw-approve (claw-sandbox --dry-run says
// where an exec would run), logged by claw-audit, and written back with a
// verdict member. A co-process holds one request at a time, so a call that
// waits for a person never delays another: the next call takes another
// co-process. Idle ones are kept warm (a call that is allowed pays a write
// and a read, not five process starts), and retired when claw's config
// changes. `claw serve --decide` serves independent requests by id from one
// process; once it can hand questions to the caller (--ask-fd, as `claw-hook
// decide` does), one co-process can replace the pool behind decide().
//
// Every failure is a refusal: a co-process that dies, says nothing in time
// or answers what cannot be read rejects the call's promise, and the plugin
// blocks the call.

import { spawn, execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const IDLE_MAX = 2; // warm co-processes kept per kind of request
const LINE_MAX = 8 * 1024 * 1024; // a record longer than this is not claw's

/** The directory of claw's commands: configured, beside this plugin's install, or PATH. */
export function findBin(configured) {
  const usable = (dir) => {
    try {
      accessSync(join(dir, "claw-hook"), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (configured) {
    if (!usable(configured)) throw new Error(`${configured}/claw-hook is missing or not executable`);
    return configured;
  }
  // make install puts this plugin in $(PREFIX)/share/claw/openclaw-plugin.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, "..", "..", "..", "bin"), ...(process.env.PATH ?? "").split(delimiter)]) {
    if (dir && usable(dir)) return dir;
  }
  throw new Error("claw-hook is not installed beside this plugin nor on PATH (set the plugin's bin)");
}

/** Splits a stream into lines; ONLINE gets each one without its newline. */
function lines(stream, online, onoverflow) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      online(line);
    }
    if (pending.length > LINE_MAX) {
      pending = "";
      onoverflow();
    }
  });
}

function stamp(path) {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return "-";
  }
}

/** One `claw-hook decide` co-process: one request at a time. */
class Member {
  constructor(decider, args, askFd) {
    this.decider = decider;
    this.dead = false;
    this.job = null;
    // A process group of its own, which its stages share: die() ends them all.
    this.child = spawn(join(decider.bin, "claw-hook"), ["decide", ...args], {
      stdio: ["pipe", "pipe", "pipe", askFd ? "pipe" : "ignore"],
      detached: true,
    });
    const fail = (why) => this.die(why);
    this.child.on("error", (err) => fail(`claw-hook could not start: ${err.message}`));
    this.exited = new Promise((resolve) => this.child.on("exit", resolve));
    this.child.on("exit", (code, signal) =>
      fail(`claw ended (${signal ?? `exit ${code}`})${this.firstError ? `: ${this.firstError}` : ""}`),
    );
    this.child.stdin.on("error", () => fail("claw-hook stopped reading"));
    lines(this.child.stdout, (line) => this.onRecord(line), () => fail("an overlong record"));
    lines(
      this.child.stderr,
      (line) => {
        this.firstError ??= line;
        decider.logger?.warn?.(`claw: ${line}`);
      },
      () => {},
    );
    if (askFd) lines(this.child.stdio[3], (line) => this.onPending(line), () => fail("an overlong question"));
    this.hold(false);
  }

  /** A co-process keeps the process alive only while a call waits on it; a warm one never does. */
  hold(on) {
    for (const h of [this.child, this.child.stdin, this.child.stdout, this.child.stderr, this.child.stdio[3]])
      on ? h?.ref?.() : h?.unref?.();
  }

  /** Sends RECORD; the promise settles with {record} or {pending, final}. */
  run(record, decisionMs) {
    return new Promise((resolve, reject) => {
      let settleFinal;
      const final = new Promise((res, rej) => (settleFinal = { res, rej }));
      final.catch(() => {}); // a final nobody waits for is not an unhandled rejection
      this.job = { resolve, reject, final, settleFinal, pending: null };
      this.job.timer = setTimeout(() => this.die(`no decision within ${decisionMs} ms`), decisionMs);
      this.hold(true);
      this.child.stdin.write(`${JSON.stringify(record)}\n`);
    });
  }

  onPending(line) {
    const job = this.job;
    if (!job || job.pending) return this.die("a question claw-hook was not asked for");
    let pending;
    try {
      pending = JSON.parse(line);
    } catch {
      return this.die("a question that is not JSON");
    }
    if (typeof pending?.id !== "string") return this.die("a question without an id");
    job.pending = pending;
    clearTimeout(job.timer);
    // Past the question's own expiry claw decides (askFallback), and says so.
    const left = Math.max(1000, (pending.expiresAtMs ?? Date.now()) - Date.now() + 30000);
    job.timer = setTimeout(() => this.die("no decision after the question expired"), left);
    job.resolve({ pending, final: job.final });
  }

  onRecord(line) {
    const job = this.job;
    if (!job) return this.die("a record nobody asked for");
    let record;
    try {
      record = JSON.parse(line);
    } catch {
      return this.die("a record that is not JSON");
    }
    clearTimeout(job.timer);
    this.job = null;
    this.hold(false);
    if (job.pending) job.settleFinal.res(record);
    else job.resolve({ record });
    this.decider.release(this);
  }

  die(why) {
    if (this.dead) return;
    this.dead = true;
    const job = this.job;
    this.job = null;
    if (job) {
      clearTimeout(job.timer);
      const err = new Error(why);
      if (job.pending) job.settleFinal.rej(err);
      else job.reject(err);
    }
    this.hold(false);
    // SIGTERM first: a claw-approve that waits for a person takes its question down.
    this.signal("SIGTERM");
    setTimeout(() => this.signal("SIGKILL"), 2000).unref();
  }

  signal(sig) {
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      // the group is gone
    }
  }

  close() {
    this.dead = true;
    this.child.stdin.end(); // the stages see the end of their input and finish
  }
}

/** claw's decisions for the plugin: settings, and a pool of co-processes per kind of call. */
export class Decider {
  constructor({ bin, stateDir, configPath, clawConfigPath, decisionTimeoutMs = 10000, logger } = {}) {
    this.bin = findBin(bin);
    this.common = [
      ...(stateDir ? ["--state-dir", stateDir] : []),
      ...(configPath ? ["--config", configPath] : []),
      ...(clawConfigPath ? ["--claw-config", clawConfigPath] : []),
    ];
    this.logger = logger;
    this.settingsMs = decisionTimeoutMs;
    this.pools = new Map();
    this.settingsPromise = null;
    this.stamps = "";
  }

  /** claw's settings for a runtime (claw-hook settings --json), read again when its files change. */
  settings() {
    if (this.settingsPromise && this.watched && this.stampsOf(this.watched) !== this.stamps) this.reload();
    if (!this.settingsPromise) {
      this.settingsPromise = new Promise((resolve, reject) => {
        const opts = { timeout: this.settingsMs, killSignal: "SIGKILL" };
        execFile(join(this.bin, "claw-hook"), ["settings", "--json", ...this.common], opts, (err, out, errOut) => {
          if (err) return reject(new Error(`claw's config cannot be read: ${(errOut || err.message).trim()}`));
          try {
            const s = JSON.parse(out);
            this.watched = s.watch ?? [];
            this.stamps = this.stampsOf(this.watched);
            resolve(s);
          } catch {
            reject(new Error("claw-hook settings said something that is not JSON"));
          }
        });
      });
      // A config that cannot be read is tried again on the next call.
      this.settingsPromise.catch(() => (this.settingsPromise = null));
    }
    return this.settingsPromise;
  }

  stampsOf(paths) {
    return paths.map(stamp).join("|");
  }

  /** The config changed: new settings, and co-processes that read it afresh. */
  reload() {
    this.settingsPromise = null;
    for (const pool of this.pools.values()) for (const m of pool.idle.splice(0)) m.close();
  }

  /**
   * Decides RECORD. OPTS: askFd (the plugin asks the person through OpenClaw
   * and answers with resolve), deliveries (an outgoing message), timeoutS
   * (claw waits for a person at most this long), decisionMs (how long until
   * a record or a question must come). Settles with {record} or {pending, final}.
   */
  async decide(record, { askFd = false, deliveries = false, timeoutS, decisionMs = 10000 } = {}) {
    const args = [...this.common];
    if (askFd) args.push("--ask-fd", "3");
    if (deliveries) args.push("--deliveries");
    if (timeoutS) args.push("--timeout", String(Math.max(1, Math.floor(timeoutS))));
    const key = args.join("\0");
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = { idle: [], args, askFd }));
    let member;
    while ((member = pool.idle.pop()) && member.dead);
    if (this.closing) throw new Error("the gateway is stopping");
    if (!member) member = this.track(new Member(this, args, askFd));
    member.pool = pool;
    // The next call finds one warm.
    if (pool.idle.length === 0) pool.idle.push(this.track(new Member(this, args, askFd)));
    return member.run(record, decisionMs);
  }

  release(member) {
    const pool = member.pool;
    if (member.dead || !pool) return;
    if (!this.closing && pool.idle.length < IDLE_MAX) pool.idle.push(member);
    else member.close();
  }

  /** Answers a pending question of claw's with claw-approve resolve; BY names who answered. */
  resolve(id, word, by = "openclaw") {
    const answering = new Promise((resolve, reject) => {
      execFile(
        join(this.bin, "claw-approve"),
        ["resolve", "--by", by, ...this.common, id, word],
        { timeout: 10000 },
        (err, _out, errOut) => (err ? reject(new Error((errOut || err.message).trim())) : resolve()),
      );
    });
    // A question answered already is not answered again when the gateway stops.
    (this.answering ??= new Map()).set(id, answering);
    const done = () => this.answering.delete(id);
    answering.then(done, done);
    return answering;
  }

  track(member) {
    (this.members ??= new Set()).add(member);
    member.exited.then(() => this.members.delete(member));
    return member;
  }

  /**
   * The gateway stops: idle co-processes end now, busy ones once their
   * decision is logged, within MS; then whatever is left is ended.
   */
  async close(ms = 4000) {
    this.closing = true;
    for (const pool of this.pools.values()) for (const m of pool.idle.splice(0)) m.close();
    // A question nobody will answer now is refused, so that its decision is logged;
    // one whose answer is on its way gets that answer.
    await Promise.allSettled([...(this.answering?.values() ?? [])]);
    for (const m of this.members ?? [])
      if (m.job?.pending && !this.answering?.has(m.job.pending.id))
        this.resolve(m.job.pending.id, "deny", "openclaw:gateway-stopped").catch(() => {});
    const all = Promise.all([...(this.members ?? [])].map((m) => m.exited));
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([all, late]);
    clearTimeout(timer);
    for (const m of this.members ?? []) m.die("the gateway stopped");
  }
}
