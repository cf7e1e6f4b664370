/**
 * The HTTP side of the login protocol (docs/protocol.md §5.2, §5.5): building `Authorization` headers and reading
 * `WWW-Authenticate: X-Conversation <id> <base64 prompt>` challenges with their JSON body.
 */

/** A host key the gateway asks the user to confirm (`host-key` = `"<host> <KEYTYPE> login-data"`). */
export interface HostKeyQuestion {
    /** Host as ssh prints it: `host` or `[host]:port`. */
    host: string;
    /** Key type as ssh prints it, e.g. `ED25519`; may be empty. */
    keyType: string;
    /** True when the key line itself will arrive later in `login-data.known-hosts` (the only form we accept). */
    deferred: boolean;
}

/** One question from the gateway. */
export interface Challenge {
    id: string;
    prompt: string;
    /** Show the answer while typing (e.g. a user name), otherwise a password field. */
    echo: boolean;
    /** Text shown above the prompt: the `error` field if present, else `message`. */
    message: string;
    /** Pre-filled answer; for host keys the SHA256 fingerprint. */
    defaultAnswer: string;
    hostKey: HostKeyQuestion | null;
}

/** UTF-8 encodes a string and returns standard base64 (what `btoa(unescape(encodeURIComponent(s)))` gives). */
export function base64Utf8(text: string): string {
    let binary = "";
    for (const byte of new TextEncoder().encode(text))
        binary += String.fromCharCode(byte);
    return btoa(binary);
}

/** `Basic base64(user ":" password "\0" known_hosts)`; the NUL part is always present. */
export function basicAuthorization(user: string, password: string, knownHosts: string): string {
    return "Basic " + base64Utf8(user + ":" + password + "\0" + knownHosts);
}

/** The answer to a challenge. */
export function conversationAuthorization(id: string, answer: string): string {
    return "X-Conversation " + id + " " + base64Utf8(answer);
}

function parseHostKey(value: unknown): HostKeyQuestion | null {
    if (typeof value !== "string" || value === "")
        return null;
    const parts = value.split(" ");
    return {
        host: parts[0] ?? "",
        keyType: parts[1] ?? "",
        deferred: parts.length === 3 && parts[2] === "login-data",
    };
}

/**
 * Parses a challenge. Returns null unless the header has exactly the three space-separated parts
 * `X-Conversation`, id and base64 prompt (like Cockpit's page). A body that is not a JSON object is treated as
 * empty so a bare challenge still shows a password prompt.
 */
export function parseChallenge(header: string | null, body: string): Challenge | null {
    if (!header)
        return null;
    const parts = header.split(" ");
    if (parts.length !== 3 || parts[0].toLowerCase() !== "x-conversation" || parts[1] === "")
        return null;
    let prompt: string;
    try {
        // atob yields bytes as Latin-1; decode them as UTF-8 where they form valid UTF-8
        const bytes = atob(parts[2]);
        prompt = decodeUtf8(bytes);
    } catch {
        return null;
    }
    let fields: Record<string, unknown> = {};
    try {
        const parsed: unknown = JSON.parse(body);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
            fields = parsed as Record<string, unknown>;
    } catch {
        // not JSON: keep the defaults
    }
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    return {
        id: parts[1],
        prompt,
        echo: fields.echo === true,
        message: text(fields.error) || text(fields.message),
        defaultAnswer: text(fields.default),
        hostKey: parseHostKey(fields["host-key"]),
    };
}

function decodeUtf8(latin1: string): string {
    const bytes = Uint8Array.from(latin1, c => c.charCodeAt(0));
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        return latin1;
    }
}

/**
 * The `-t` argument for `ssh-keyscan` from the key type ssh prints (`ED25519`, `ECDSA`, `RSA`), or "" when
 * unknown. ssh-keyscan wants lower-case names.
 */
export function keyscanType(keyType: string): string {
    const t = keyType.toLowerCase();
    return /^(ed25519|ecdsa|rsa|dsa|ed25519-sk|ecdsa-sk)$/.test(t) ? t : "";
}
