// oc.mjs: OpenClaw's own answers to the differential cases (see README here).
//
// Reads cases (JSON Lines) on stdin, writes one answer per case on stdout:
//   {"id", "ok": true, ...}  or  {"id", "ok": false, "error": "..."}
// It imports OpenClaw's dist modules and calls the functions OpenClaw itself
// routes, judges and approves with; nothing here decides on its own, it only
// translates a claw record into those functions' inputs (the glue is marked).
//
// Usage: node oc.mjs DIST_DIR < cases.jsonl > answers.jsonl
// Run it with a scratch OPENCLAW_STATE_DIR and HOME: OpenClaw may read them.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const dist = process.argv[2];
if (!dist || !fs.existsSync(path.join(dist, "plugin-sdk"))) {
	console.error("usage: node oc.mjs OPENCLAW_DIST_DIR < cases.jsonl");
	process.exit(2);
}

// ---- OpenClaw's functions, found by name ----
// Chunk names carry a build hash: find the chunk whose export list names the
// function, rather than writing hashes down.
const exportIndex = new Map();
for (const f of fs.readdirSync(dist)) {
	if (!f.endsWith(".mjs")) continue;
	const text = fs.readFileSync(path.join(dist, f), "utf8");
	const at = text.lastIndexOf("\nexport {");
	if (at < 0) continue;
	for (const m of text.slice(at).matchAll(/(\w+) as (\w+)/g)) {
		if (!exportIndex.has(m[1])) exportIndex.set(m[1], []);
		exportIndex.get(m[1]).push({ file: f, alias: m[2] });
	}
}

async function oc(name) {
	const hits = exportIndex.get(name) ?? [];
	if (hits.length !== 1)
		throw new Error(`OpenClaw export ${name}: ${hits.length} chunks export it`);
	const mod = await import(path.join(dist, hits[0].file));
	return mod[hits[0].alias];
}

const routing = await import(path.join(dist, "plugin-sdk/routing.js"));
const f = {
	resolveAgentRoute: routing.resolveAgentRoute,
	resolveThreadSessionKeys: routing.resolveThreadSessionKeys,
	buildAgentMainSessionKey: routing.buildAgentMainSessionKey,
	normalizeAgentId: routing.normalizeAgentId,
	resolveAgentIdFromSessionKey: routing.resolveAgentIdFromSessionKey,
};
for (const name of [
	"resolveRuntimePolicySessionKey",
	"resolveTelegramConversationRoute",
	"resolveTelegramTargetSession",
	"resolveSandboxRuntimeStatus",
	"resolveSessionAgentId",
	"canonicalizeMainSessionAlias",
	"normalizeSessionKeyPreservingOpaquePeerIds",
	"resolveConversationCapabilityProfile",
	"isConversationToolAllowed",
	"GATEWAY_OWNER_ONLY_CORE_TOOLS",
	"normalizeToolPolicyName",
	"resolveExecToolConfig",
	"resolveExecModePolicy",
	"resolveExecApprovalsFromFile",
	"resolveExecSafeBinRuntimePolicy",
	"evaluateShellAllowlistWithAuthorization",
	"hasDurableExecApproval",
	"detectPolicyInlineEval",
	"commandRequiresSecurityAuditSuppressionApproval",
	"requiresExecApproval",
	"rejectUnsafeExecControlShellCommand",
	"minSecurity",
	"maxAsk",
	"buildAuthorizedShellCommandFromPlan",
])
	f[name] = await oc(name);

// ---- sessions ----

const str = (v) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

// Telegram routes itself (extensions/telegram: conversation-route): a forum
// topic is part of the group's id, a DM's peer is its sender (else its chat).
// Glue: claw always takes a DM thread as one (the bot's topics enabled).
function telegram(cfg, o) {
	const isGroup = ["group", "channel"].includes((str(o.chat) ?? "direct").trim().toLowerCase());
	const chatId = str(o.peer) ?? (isGroup ? str(o.group) : str(o.sender)) ?? "";
	const thread = str(o.thread)?.trim();
	const base = {
		cfg,
		accountId: str(o.account),
		chatId,
		isGroup,
		senderId: str(o.sender),
	};
	const { route } = f.resolveTelegramConversationRoute({
		...base,
		threadSpec: isGroup && thread ? { id: Number(thread), scope: "forum" } : { scope: "none" },
	});
	const key = isGroup
		? route.sessionKey
		: f.resolveTelegramTargetSession({ ...base, route, dmThreadId: thread || undefined, botHasTopicsEnabled: true });
	const ctx = { ChatType: isGroup ? "group" : "direct", OriginatingChannel: "telegram", SenderId: str(o.sender), From: chatId || undefined, AccountId: str(o.account) };
	return { key, agentId: route.agentId, ctx };
}

// The session of a request, as OpenClaw routes the message it stands for.
// Glue: a chat channel always hands OpenClaw a peer; for a DM that is the
// sender, so a record's peer (else its sender) is the peer's id.
function session(cfg, rq) {
	const o = rq.origin;
	let key, agentId, ctx;
	if (o && typeof o === "object" && str(o.channel)?.trim().toLowerCase() === "telegram") {
		({ key, agentId, ctx } = telegram(cfg, o));
	} else if (o && typeof o === "object") {
		const chat = str(o.chat) ?? "direct";
		const peerId = str(o.peer) ?? (chat.toLowerCase() === "direct" || chat.toLowerCase() === "dm"
			? str(o.sender) : str(o.group)) ?? "";
		const route = f.resolveAgentRoute({
			cfg,
			channel: str(o.channel),
			accountId: str(o.account),
			peer: { kind: chat, id: peerId },
			parentPeer: o.parent != null ? { kind: chat, id: str(o.parent) } : null,
			guildId: str(o.guild),
			teamId: str(o.team),
			memberRoleIds: Array.isArray(o.roles) ? o.roles : [],
		});
		agentId = route.agentId;
		key = f.resolveThreadSessionKeys({ baseSessionKey: route.sessionKey, threadId: str(o.thread) }).sessionKey;
		// A channel also names where a message came from (From): the peer.
		ctx = {
			ChatType: chat,
			OriginatingChannel: str(o.channel),
			SenderId: str(o.sender),
			From: peerId || undefined,
			AccountId: str(o.account),
		};
	} else {
		// No origin: the local operator, on the main session, or the key the
		// record names (sessionKey, or the key of its session member).
		const named = str(rq.sessionKey) ?? str(rq.session?.key);
		agentId = f.resolveSessionAgentId({ config: cfg, sessionKey: named, agentId: str(rq.agent) ?? str(rq.session?.agent) });
		key = named ?? f.buildAgentMainSessionKey({ agentId, mainKey: cfg.session?.mainKey });
		ctx = {};
	}
	// The reply path names a session so (get-reply: resolveSessionKey, then
	// canonicalizeMainSessionAlias); the store keeps it normalised.
	key = f.canonicalizeMainSessionAlias({ cfg, agentId, sessionKey: key });
	const storeKey = f.normalizeSessionKeyPreservingOpaquePeerIds(key);
	const policyKey = f.resolveRuntimePolicySessionKey({ cfg, sessionKey: key, agentId, ctx }) ?? key;
	const status = f.resolveSandboxRuntimeStatus({ cfg, sessionKey: policyKey, agentId, preparedSessionEntry: null });
	const policyStoreKey = f.normalizeSessionKeyPreservingOpaquePeerIds(policyKey);
	return { key, storeKey, policyKey, policyStoreKey, agentId, sandboxed: status.sandboxed, toolPolicy: status.toolPolicy };
}

// ---- tool policy ----

function policy(cfg, rq) {
	const s = session(cfg, rq);
	const o = rq.origin && typeof rq.origin === "object" ? rq.origin : null;
	const owner = o ? o.owner === true : true;
	const profile = f.resolveConversationCapabilityProfile({
		config: cfg,
		sessionKey: s.policyKey,
		agentId: s.agentId,
		modelProvider: str(rq.model?.provider),
		modelId: str(rq.model?.id),
		sandboxToolPolicy: s.sandboxed ? s.toolPolicy : undefined,
		messageProvider: o ? str(o.channel) : undefined,
		agentAccountId: o ? str(o.account) : undefined,
		senderId: o ? str(o.sender) : undefined,
		senderIsOwner: owner,
		chatType: o ? str(o.chat) ?? "direct" : undefined,
	});
	let allowed = f.isConversationToolAllowed(profile, rq.tool);
	// Owner-only tools leave the list of a sender who is not the owner.
	if (allowed && !owner && f.GATEWAY_OWNER_ONLY_CORE_TOOLS.includes(f.normalizeToolPolicyName(rq.tool)))
		allowed = false;
	return { ...s, toolPolicy: undefined, allowed };
}

// ---- exec approvals ----

// The decision of the gateway exec tool (createExecTool, then
// processGatewayAllowlist in bash-tools) up to the point where it would ask,
// refuse or run, with nonInteractiveApproval: "ask" is what it would ask.
// Glue: the order of the checks is copied from those two functions; each
// check is OpenClaw's own function.
async function exec(cfg, approvalsFile, rq) {
	const agentId = f.normalizeAgentId(str(rq.agent) ?? "main");
	const command = str(rq.args?.command) ?? "";
	const cwd = str(rq.args?.workdir) ?? process.cwd();
	const tc = f.resolveExecToolConfig({ cfg, agentId });
	const mode = f.resolveExecModePolicy({ mode: tc.mode, security: tc.security ?? "full", ask: tc.ask ?? "off" });
	const approvals = f.resolveExecApprovalsFromFile({ file: approvalsFile ?? { version: 1 }, agentId, overrides: { security: "full", ask: "off" } });
	const hostSecurity = f.minSecurity(mode.security, approvals.agent.security);
	const hostAsk = f.maxAsk(mode.ask, approvals.agent.ask);
	if (hostSecurity === "deny") return { decision: "deny", reason: "security=deny" };
	try {
		await f.rejectUnsafeExecControlShellCommand(command);
	} catch (e) {
		return { decision: "deny", reason: `guard: ${e.message}` };
	}
	const sb = f.resolveExecSafeBinRuntimePolicy({
		local: { safeBins: tc.safeBins, safeBinTrustedDirs: tc.safeBinTrustedDirs, safeBinProfiles: tc.safeBinProfiles },
	});
	const ev = await f.evaluateShellAllowlistWithAuthorization({
		command,
		allowlist: approvals.allowlist,
		safeBins: sb.safeBins,
		safeBinProfiles: sb.safeBinProfiles,
		cwd,
		env: process.env,
		platform: process.platform,
		trustedSafeBinDirs: sb.trustedSafeBinDirs,
	});
	const analysisOk = ev.analysisOk;
	const allowlistSatisfied = hostSecurity === "allowlist" && analysisOk ? ev.allowlistSatisfied : false;
	const durable = f.hasDurableExecApproval({
		analysisOk,
		segmentAllowlistEntries: ev.segmentAllowlistEntries,
		allowlist: approvals.allowlist,
		commandText: command,
	});
	const inline = tc.strictInlineEval === true ? f.detectPolicyInlineEval(ev.segments) : null;
	let enforced = null;
	if (hostSecurity === "allowlist" && analysisOk && allowlistSatisfied)
		enforced = ev.authorizationPlan
			? f.buildAuthorizedShellCommandFromPlan({ plan: ev.authorizationPlan, mode: "enforced", segmentSatisfiedBy: ev.segmentSatisfiedBy })
			: { ok: false };
	const heredoc = ev.segments.some((s) => s.argv.some((t) => t.startsWith("<<"))) && hostSecurity === "allowlist" && analysisOk && allowlistSatisfied;
	const planMiss = enforced !== null && !(enforced.ok && enforced.command);
	const audit = f.commandRequiresSecurityAuditSuppressionApproval({ command, cwd, env: process.env, segments: ev.segments }) &&
		!(hostSecurity === "full" && hostAsk === "off");
	const reasons = [];
	if (f.requiresExecApproval({ ask: hostAsk, security: hostSecurity, analysisOk, allowlistSatisfied, durableApprovalSatisfied: durable }))
		reasons.push(hostAsk === "always" ? "ask=always" : "allowlist-miss");
	if (planMiss) reasons.push("execution-plan-miss");
	if (heredoc) reasons.push("heredoc");
	if (inline) reasons.push("strict-inline-eval");
	if (audit) reasons.push("security-audit-suppression");
	const segments = ev.segments.map((s) => ({ argv: s.argv, path: s.resolution?.resolvedPath ?? s.resolution?.execution?.resolvedPath }));
	if (reasons.length > 0) return { decision: "ask", reason: reasons.join(", "), analysisOk, segments };
	if (hostSecurity === "allowlist" && !durable && !(analysisOk && allowlistSatisfied))
		return { decision: "deny", reason: "allowlist-miss", analysisOk, segments };
	return { decision: "allow", reason: hostSecurity === "full" ? "security=full" : `allowlist (${ev.segmentSatisfiedBy.join(",")})`, analysisOk, segments };
}

// ---- the loop ----

const kinds = {
	session: (c) => session(c.config ?? {}, c.request),
	policy: (c) => policy(c.config ?? {}, c.request),
	exec: (c) => exec(c.config ?? {}, c.approvals, c.request),
};

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
	if (!line.trim()) continue;
	const c = JSON.parse(line);
	let out;
	try {
		const r = await kinds[c.kind](c);
		if (r.toolPolicy !== undefined) delete r.toolPolicy;
		out = { id: c.id, ok: true, ...r };
	} catch (e) {
		out = { id: c.id, ok: false, error: String(e?.message ?? e).split("\n")[0] };
	}
	process.stdout.write(JSON.stringify(out) + "\n");
}
