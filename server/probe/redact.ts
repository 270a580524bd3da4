/**
 * Secret redaction for command lines. Every command the probe prints, serves or labels a
 * metric with goes through `redactArgv`/`redactText` first.
 */

const MASK = "***";

/** Programs whose `-p` is a password (`mysql -pX`, `mysql -p X`, `sshpass -p X`), not a port. */
const DASH_P_PASSWORD = /^(?:mysql\w*|mariadb[\w-]*|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh|sshpass)$/;
/** Programs whose `-a X` is a password (`redis-cli -a X`). */
const DASH_A_PASSWORD = /^(?:redis-cli|valkey-cli|keydb-cli)$/;
/** A bare key name naming a secret (`aws configure set aws_secret_access_key X`, `git config user.password X`). */
const SECRET_KEY_NAME = /^[\w.:/-]*(?:api[-_]?key|apikey|token|secret|passw(?:or)?d|passwd|access[-_]?key|private[-_]?key|credentials?)[\w.-]*$/i;
const CONFIG_VERBS = new Set(["set", "config", "configure", "put", "add", "set-secret", "secret", "setenv"]);

/** Flags whose value is a secret: `--api-key X`, `--api-key=X`, `-password X`, `--hf_token X` … */
const SECRET_FLAG = /^-{1,2}[\w.-]*(?:api[-_]?key|apikey|token|secret|passw(?:or)?d|passwd|pwd|auth|credentials?|private[-_]?key|access[-_]?key|bearer|cookie|session[-_]?id|client[-_]?secret)[\w.-]*$/i;
/** KEY=value pairs whose key names a secret (env assignments, query strings, config flags). */
const SECRET_ASSIGN = /((?:^|[\s&?;,"'(])(?:--?)?[\w.-]*(?:api[-_]?key|apikey|token|secret|passw(?:or)?d|passwd|pwd|auth|credentials?|private[-_]?key|access[-_]?key|client[-_]?secret|sig|signature)[\w.-]*["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,"')}]+)/gi;

const TOKEN_PATTERNS: RegExp[] = [
  /\b(?:sk|rk|pk)-(?:ant-|proj-|svcacct-|or-v1-|live_|test_)?[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic, OpenRouter, Stripe-like
  /\bgsk_[A-Za-z0-9]{16,}/g, // Groq
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe
  /\br8_[A-Za-z0-9]{20,}/g, // Replicate
  /\bpplx-[A-Za-z0-9]{20,}/g, // Perplexity
  /\bsk-[A-Za-z0-9]{20,}/g, // DeepSeek, Moonshot and other plain sk- keys
  /\bxai-[A-Za-z0-9]{16,}/g, // xAI
  /\bhf_[A-Za-z0-9]{16,}/g, // Hugging Face
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{16,}/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API key
  /\bya29\.[0-9A-Za-z_-]{20,}/g, // Google OAuth
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /\bnpm_[A-Za-z0-9]{30,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/** Keep a token's public prefix (`sk-`, `ghp_`, `hf_`) so the reader still knows what it was. */
function tokenPrefix(m: string): string {
  const i = m.search(/[-_]/);
  return i > 0 && i <= 6 ? m.slice(0, i + 1) : "";
}

/** Redact a free-form string (a joined command line, an error message). */
export function redactText(s: string): string {
  let out = s;
  // Authorization schemes: "Bearer xyz", "Basic xyz", "Token xyz"
  out = out.replace(/\b(Bearer|Basic|Token|Digest)(\s+|%20|\+)[A-Za-z0-9._~+/=-]{4,}/gi, (_m, scheme: string, sp: string) => `${scheme}${sp}${MASK}`);
  // Header forms: -H "x-api-key: abc", "Authorization: abc"
  out = out.replace(/\b((?:x-[\w-]*(?:key|token|secret)|authorization|api-key|proxy-authorization|cookie)\s*:\s*)(?!\*\*\*)("[^"]*"|'[^']*'|[^\s"']+)/gi, (_m, k: string) => `${k}${MASK}`);
  // URL userinfo: scheme://user:pass@host, scheme://token@host
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]+)@/gi, (m, scheme: string, user: string, pass: string) => (pass === MASK ? m : `${scheme}${user}:${MASK}@`));
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([A-Za-z0-9_.~%-]{20,})@/gi, (_m, scheme: string) => `${scheme}${MASK}@`);
  out = out.replace(SECRET_ASSIGN, (_m, k: string) => `${k}${MASK}`);
  for (const re of TOKEN_PATTERNS) out = out.replace(re, (m) => (m.startsWith("-----BEGIN") ? "[private key redacted]" : `${tokenPrefix(m)}${MASK}`));
  return out;
}

/** Redact an argv vector: values following secret flags are masked, then each element as text. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  const prog = (argv[0] ?? "").split(/[\\/]/).pop()!.replace(/\.exe$/i, "");
  const dashP = DASH_P_PASSWORD.test(prog);
  const dashA = DASH_A_PASSWORD.test(prog);
  let sawConfigVerb = false;
  let sawLogin = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const prev = i > 0 ? argv[i - 1]! : "";
    if (SECRET_FLAG.test(prev) && !a.startsWith("-")) {
      out.push(MASK);
      continue;
    }
    if ((dashP && prev === "-p") || (dashA && prev === "-a") || (sawLogin && prev === "-p")) {
      out.push(MASK);
      continue;
    }
    if (i > 0 && ((dashP && /^-p./.test(a)) || (dashA && /^-a./.test(a)))) {
      out.push(`${a.slice(0, 2)}${MASK}`);
      continue;
    }
    if (sawConfigVerb && i > 1 && SECRET_KEY_NAME.test(prev) && !prev.startsWith("-") && !a.startsWith("-")) {
      out.push(MASK);
      continue;
    }
    if (CONFIG_VERBS.has(a.toLowerCase())) sawConfigVerb = true;
    if (a === "login") sawLogin = true; // docker/podman/helm/oras login -p X
    // -H 'Authorization: Bearer …' is handled by redactText; `-u user:pass` (curl) too:
    if ((prev === "-u" || prev === "--user") && a.includes(":") && !a.includes("://")) {
      out.push(`${a.slice(0, a.indexOf(":"))}:${MASK}`);
      continue;
    }
    const eq = a.indexOf("=");
    if (a.startsWith("-") && eq > 0 && SECRET_FLAG.test(a.slice(0, eq))) {
      out.push(`${a.slice(0, eq)}=${MASK}`);
      continue;
    }
    out.push(redactText(a));
  }
  return out;
}

/** Quote-free, single-line rendering of argv (redacted), truncated to `max` characters. */
export function commandLine(argv: readonly string[], comm: string, max = 300): string {
  const parts = argv.length > 0 ? redactArgv(argv) : [`[${redactText(comm)}]`];
  let s = stripControl(parts.join(" ").replace(/[\r\n\t]+/g, " "));
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s;
}

/**
 * Remove terminal control from untrusted text (endpoint answers, command lines): ANSI/VT escape
 * sequences (CSI, OSC, DCS …), other C0/C1 controls and DEL; tabs and newlines become spaces.
 * Optionally capped at `max` characters.
 */
export function stripControl(s: string, max?: number): string {
  let out = s
    // eslint-disable-next-line no-control-regex
    .replace(/(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]/g, "") // CSI … final byte
    // eslint-disable-next-line no-control-regex
    .replace(/(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g, "") // OSC/DCS/SOS/PM/APC … terminator
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b[@-_]?/g, "") // other two-byte escapes
    .replace(/[\t\n\r]+/g, " ")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  if (max !== undefined && out.length > max) out = `${out.slice(0, max - 1)}…`;
  return out;
}

/** A URL for display: password in the userinfo and secret query values masked (requests keep the real one). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    else if (u.username && u.username.length >= 16) u.username = MASK;
    for (const k of [...u.searchParams.keys()]) if (/key|token|secret|passw|pwd|auth|sig/i.test(k)) u.searchParams.set(k, MASK);
    return stripControl(redactText(u.toString().replace(/%2A%2A%2A/gi, MASK)).replace(/\/$/, "")) || "";
  } catch {
    return stripControl(redactText(url));
  }
}
