/** One login request and its response, reduced to what the page needs. */

export interface LoginResponse {
    /** 0 when the gateway could not be reached. */
    status: number;
    statusText: string;
    /** `WWW-Authenticate` header, if any. */
    challenge: string | null;
    body: string;
}

export type LoginTransport = (path: string, headers: Record<string, string>) => Promise<LoginResponse>;

/** Sends `GET path` with the given headers; same-origin cookies are included, nothing is cached. */
export const fetchTransport: LoginTransport = async (path, headers) => {
    try {
        const response = await fetch(path, { method: "GET", headers, credentials: "same-origin", cache: "no-store" });
        return {
            status: response.status,
            statusText: response.statusText,
            challenge: response.headers.get("WWW-Authenticate"),
            body: await response.text(),
        };
    } catch (ex) {
        console.warn("login request failed", ex);
        return { status: 0, statusText: "", challenge: null, body: "" };
    }
};
