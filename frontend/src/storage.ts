/**
 * Browser storage written around a login, with Cockpit's key names so the shell finds what it expects
 * (`superuser-key`, `superuser:<user>[:<host>]`, `login-data`, `<application>login-data`, `standard-login`,
 * `url-root`, `known_hosts`, session `CACertUrl`).
 */

/** localStorage, or sessionStorage when the browser refuses localStorage (corrupt profile). */
export function pageStorage(win: Window): Storage {
    try {
        const s = win.localStorage;
        s.removeItem("url-root");
        s.removeItem("standard-login");
        return s;
    } catch (ex) {
        console.warn("localStorage unavailable, using sessionStorage", ex);
        return win.sessionStorage;
    }
}

/**
 * Removes keys that start with `prefix`; with `full`, also every key that does not start with "cockpit"
 * (Cockpit's rule for dropping another session's leftovers).
 */
export function clearStorage(storage: Storage, prefix: string, full: boolean): void {
    let i = 0;
    while (i < storage.length) {
        const k = storage.key(i);
        if (k === null)
            break;
        if ((full && k.indexOf("cockpit") !== 0) || k.indexOf(prefix) === 0)
            storage.removeItem(k);
        else
            i++;
    }
}

/** The superuser mode to request (`X-Superuser`) and records which key the shell should update. */
export function superuserForLogin(storage: Storage, user: string, machine: string): string {
    const key = "superuser:" + user + (machine ? ":" + machine : "");
    const mode = storage.getItem(key) || "none";
    storage.setItem("superuser-key", key);
    storage.setItem(key, mode);
    storage.setItem("standard-login", "true");
    return mode;
}

/** Stores the session's `login-data` and clears the previous session's data of the same application. */
export function storeLoginData(local: Storage, session: Storage, application: string, loginData: unknown,
                               urlRoot: string, caCertUrl: string | undefined): void {
    clearStorage(session, application, true);
    local.removeItem("login-data");
    clearStorage(local, application, false);
    if (loginData) {
        const text = JSON.stringify(loginData);
        local.setItem(application + "login-data", text);
        local.setItem("login-data", text);
    }
    // deprecated by Cockpit, still read by cockpit.js < 272
    if (urlRoot)
        local.setItem("url-root", urlRoot);
    if (caCertUrl)
        session.setItem("CACertUrl", caCertUrl);
}

const RECENT_HOSTS_KEY = "login:recent-hosts";
const RECENT_HOSTS_MAX = 10;

/** Hosts the user logged into via "Connect to", most recent first (our own key; not used by Cockpit). */
export function recentHosts(storage: Storage): string[] {
    try {
        const parsed: unknown = JSON.parse(storage.getItem(RECENT_HOSTS_KEY) || "[]");
        return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === "string" && h !== "") : [];
    } catch {
        return [];
    }
}

/** Moves `host` to the front of the recent hosts list. */
export function rememberHost(storage: Storage, host: string): void {
    const hosts = [host, ...recentHosts(storage).filter(h => h !== host)].slice(0, RECENT_HOSTS_MAX);
    try {
        storage.setItem(RECENT_HOSTS_KEY, JSON.stringify(hosts));
    } catch (ex) {
        console.warn("cannot remember recent hosts", ex);
    }
}
