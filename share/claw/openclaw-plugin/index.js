// claw's OpenClaw plugin: every tool call through claw.
//
// before_tool_call: each call becomes a claw request (who asks from
// ctx.requester, the session from ctx.sessionKey, the agent, the tool and
// its params), decided by claw's stages and logged by claw-audit (decider.js).
// A refusal blocks the call with claw's reason. An exec that claw runs in its
// sandbox comes back rewritten, so that OpenClaw's own exec runs it inside
// claw's native sandbox for that session. A call that needs a person is put
// to the person through OpenClaw's own approvals (requireApproval), and the
// answer goes back to claw with claw-approve resolve, so claw logs it and
// keeps an allow-always exactly as it does its own prompts; with
// approvals.askVia "claw" claw's own ways ask instead (chat, resolve).
//
// message_sending: when approvals.tools names "message", each outgoing
// message waits for a person who sees its whole text (claw's own ways: no
// approval prompt exists for deliveries).
//
// Fails closed: a claw that crashes, hangs or answers what cannot be read
// blocks the call. OpenClaw blocks too when this hook throws, but lets a
// message through when message_sending throws, so that hook never throws.

import { createHash, randomUUID } from "node:crypto";
import { Decider } from "./decider.js";

const ID = "claw";
const TITLE_MAX = 80; // OpenClaw's caps on an approval's title and description
const DESCRIPTION_MAX = 512;
const APPROVAL_MAX_MS = 600000; // OpenClaw's longest plugin approval
const REMEMBER_MS = 120000; // a message text a person allowed as a tool call, for its delivery
const HOOK_BUDGET_MS = 15000; // OpenClaw's default per-handler budget for both hooks

/** Who asks, as far as OpenClaw knows: unproven fields are left out, owner only when proven. */
function originOf(ctx) {
  const r = ctx?.requester;
  const channel = r?.channel ?? ctx?.channelId;
  if (!r && !channel) return undefined; // a run with no message behind it: the operator's own
  const origin = { owner: r?.senderIsOwner === true };
  if (typeof channel === "string" && channel) origin.channel = channel;
  const account = r?.accountId ?? ctx?.accountId;
  if (typeof account === "string" && account) origin.account = account;
  if (typeof r?.senderId === "string" && r.senderId) origin.sender = r.senderId;
  if (Array.isArray(r?.roleIds)) origin.roles = r.roleIds.filter((x) => typeof x === "string");
  return origin;
}

function requestOf(tool, args, ctx, runtime) {
  const record = { id: randomUUID() };
  if (typeof ctx?.agentId === "string" && ctx.agentId) record.agent = ctx.agentId;
  if (typeof ctx?.sessionKey === "string" && ctx.sessionKey) record.sessionKey = ctx.sessionKey;
  const origin = originOf(ctx);
  if (origin) record.origin = origin;
  record.tool = tool;
  record.args = args && typeof args === "object" && !Array.isArray(args) ? args : {};
  record.runtime = { name: "openclaw", ...runtime };
  return record;
}

/** A tool call as claw's request. Code Mode's exec runs JavaScript, not a shell: code_execution. */
function toolRecord(event, ctx) {
  const tool = event.toolKind === "code_mode_exec" ? "code_execution" : event.toolName;
  return requestOf(tool, event.params, ctx, {
    ...(event.toolCallId && { toolCallId: event.toolCallId }),
    ...(event.runId && { runId: event.runId }),
  });
}

/** An outgoing message as claw's request: the message tool's send, with the whole text. */
function deliveryRecord(event, ctx) {
  const args = { action: "send", message: event.content ?? "" };
  if (event.to !== undefined) args.to = event.to;
  if (ctx?.channelId) args.channel = ctx.channelId;
  if (ctx?.accountId) args.accountId = ctx.accountId;
  for (const k of ["threadId", "replyToId"]) if (event[k] !== undefined) args[k] = event[k];
  const media = event.metadata?.mediaUrls;
  if (Array.isArray(media) && media.length) args.mediaUrls = media;
  return requestOf("message", args, ctx, { hook: "message_sending" });
}

const refuse = (why) => ({ block: true, blockReason: `claw: ${why}` });

/** The hook's answer for a decided record. Allowed: no answer, so OpenClaw's own checks go on. */
function answerOf(record) {
  const v = record?.verdict;
  switch (v?.decision) {
    case "allow":
      return undefined;
    case "sandbox":
      // A container sandbox is OpenClaw's own: it runs the command in the
      // very container claw would (the same names, arguments and config).
      if (v.backend !== "native") return undefined;
      // The native sandbox is claw's: only the command changes, so that
      // OpenClaw's exec runs claw-sandbox, which runs the command inside.
      // The environment is claw's to give: none of the model's variables
      // reach the host process.
      return { params: { command: v.command, env: {} } };
    case "deny":
      return refuse(`${v.reason ?? "refused"}${v.by ? ` (${v.by})` : ""}`);
    case "ask":
      return refuse(`a person must allow this (${v.reason}), and nobody could be asked`);
    default:
      return refuse("claw's answer has no verdict; the call is refused");
  }
}

const sha = (text) => createHash("sha256").update(String(text)).digest("hex");

function clip(text, max) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** What the person reads in OpenClaw's prompt: everything claw would show, or null when it does not fit. */
function describe(q) {
  const parts = [];
  if (q.tool) {
    parts.push(q.command ?? q.tool);
    if (q.decisions?.includes("allow-always")) parts.push("Allow always: this tool for the rest of the session.");
  } else {
    parts.push(`Command: ${q.command}`);
    if (q.cwd) parts.push(`CWD: ${q.cwd}`);
    for (const s of q.segments ?? []) if (s.why) parts.push(`${s.argv}: ${s.why}`);
    if (q.decisions?.includes("allow-always")) parts.push("Allow always: claw allows this exact command again.");
  }
  parts.push(`Agent: ${q.agent ?? "?"} · Session: ${q.sessionKey ?? "?"} · claw ${q.slug}`);
  const text = parts.join("\n");
  return text.length <= DESCRIPTION_MAX ? text : null;
}

export default {
  id: ID,
  name: "claw",
  description: "Every tool call through claw: policy, approvals, a native sandbox and a decision log",
  register(api) {
    const cfg = api.pluginConfig ?? {};
    const logger = api.logger ?? console;
    let claw;
    const decider = () => (claw ??= new Decider({ ...cfg, logger }));
    const hooks = api.config?.plugins?.entries?.[ID]?.hooks ?? {};
    const budget = (name) => hooks.timeouts?.[name] ?? hooks.timeoutMs ?? HOOK_BUDGET_MS;
    const decisionMs = cfg.decisionTimeoutMs ?? 10000;
    const allowedTexts = new Map(); // sha256 of a message text -> until when

    function remember(text) {
      const now = Date.now();
      for (const [k, until] of allowedTexts) if (until < now) allowedTexts.delete(k);
      allowedTexts.set(sha(text), now + REMEMBER_MS);
    }

    /** Once: a delivery of a text a person has just allowed as a message tool call. */
    function allowedBefore(text) {
      const k = sha(text), until = allowedTexts.get(k);
      allowedTexts.delete(k);
      return until !== undefined && until >= Date.now();
    }

    /** The person's answer in OpenClaw goes to claw, which logs it as its own. */
    function approval(outcome, record) {
      const q = outcome.pending;
      const no = (why) => {
        decider()
          .resolve(q.id, "deny", "openclaw:not-shown")
          .catch((err) => logger.warn?.(`claw: resolve ${q.slug}: ${err.message}`));
        return refuse(why);
      };
      if (q.host === "sandbox")
        return no('a command claw runs in its sandbox cannot be approved in OpenClaw\'s prompt; set approvals.askVia to "claw"');
      const description = describe(q);
      if (description === null)
        return no(`too long to show whole in OpenClaw's approval prompt (at most ${DESCRIPTION_MAX} characters); set approvals.askVia to "claw" to be asked through claw`);
      let answer = "timeout";
      outcome.final.then(
        (rec) => {
          const allowed = answer === "allow-once" || answer === "allow-always";
          if (allowed && rec.deny) logger.error?.(`claw: OpenClaw allowed ${q.slug}, but claw refused it: ${rec.deny.reason}`);
        },
        (err) => logger.warn?.(`claw: ${q.slug}: ${err.message}`),
      );
      return {
        requireApproval: {
          title: clip(q.tool ? `claw: allow ${q.tool}?` : "claw: run this command?", TITLE_MAX),
          description,
          severity: "warning",
          // OpenClaw gives up first: a late answer never meets a question claw has closed.
          timeoutMs: Math.max(1000, Math.min(APPROVAL_MAX_MS, (q.expiresAtMs ?? 0) - Date.now() - 2000)),
          allowedDecisions: q.decisions,
          pluginId: ID,
          async onResolution(decision) {
            answer = decision;
            const word = decision === "allow-once" || decision === "allow-always" ? decision : "deny";
            if (word !== "deny" && record.tool === "message" && typeof record.args.message === "string")
              remember(record.args.message);
            // A timeout or a cancelled run is no answer: the log says so.
            const by = decision === word ? "openclaw" : `openclaw:${decision}`;
            try {
              await decider().resolve(q.id, word, by);
              // Until claw has logged it, and kept an allow-always, the next call could miss it.
              await Promise.race([outcome.final, new Promise((r) => setTimeout(r, 10000).unref())]);
            } catch (err) {
              logger.error?.(`claw: cannot give OpenClaw's answer to ${q.slug}: ${err.message}`);
            }
          },
        },
      };
    }

    async function beforeToolCall(event, ctx) {
      try {
        const settings = await decider().settings();
        const askClaw = settings.askVia === "claw";
        const record = toolRecord(event, ctx);
        // claw's own ways ask inside this hook: they must finish before OpenClaw gives up on it.
        const hookMs = budget("before_tool_call");
        const outcome = await decider().decide(record, {
          askFd: !askClaw,
          timeoutS: askClaw ? Math.max(1, Math.floor(hookMs / 1000) - 3) : APPROVAL_MAX_MS / 1000,
          decisionMs: askClaw ? Math.max(1000, hookMs - 1000) : decisionMs,
        });
        return outcome.pending ? approval(outcome, record) : answerOf(outcome.record);
      } catch (err) {
        return refuse(`${err.message}; the call is refused`);
      }
    }

    async function messageSending(event, ctx) {
      try {
        const settings = await decider().settings();
        if (!settings.deliveries) return undefined; // approvals.tools does not name message
        if (allowedBefore(event.content ?? "")) return undefined;
        const hookMs = budget("message_sending");
        const outcome = await decider().decide(deliveryRecord(event, ctx), {
          deliveries: true,
          timeoutS: Math.max(1, Math.floor(hookMs / 1000) - 3),
          decisionMs: Math.max(1000, hookMs - 1000),
        });
        const v = outcome.record?.verdict;
        if (v?.decision === "allow") return undefined;
        return { cancel: true, cancelReason: `claw: ${v?.reason ?? "no verdict"}` };
      } catch (err) {
        return { cancel: true, cancelReason: `claw: ${err.message}; the message is not sent` };
      }
    }

    api.on("before_tool_call", beforeToolCall);
    api.on("message_sending", messageSending);
    // Decisions in flight are logged before the co-processes go.
    api.on("gateway_stop", async () => {
      await claw?.close();
    });
  },
};

export { originOf, toolRecord, deliveryRecord, answerOf, describe };
