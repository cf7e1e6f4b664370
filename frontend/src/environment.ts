/** The `environment` object the gateway injects into the page (docs/protocol.md §3.2). */
export interface PageEnvironment {
    is_cockpit_client?: boolean;
    page?: {
        title?: string;
        connect?: boolean;
        require_host?: boolean;
        allow_multihost?: boolean;
    };
    logged_into?: string[];
    hostname?: string;
    banner?: string;
    CACertUrl?: string;
    OAuth?: unknown;
}

declare global {
    interface Window {
        environment?: PageEnvironment;
    }
}
