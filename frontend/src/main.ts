/** Entry point: runs the login page against the real browser. */
import "./login.css";
import { translateDocument } from "./i18n";
import { LoginPage } from "./login-page";
import { pageStorage } from "./storage";
import { fetchTransport } from "./transport";

function applyTheme(storage: Storage): void {
    // the shell stores the user's choice under shell:style (auto, light, dark)
    const theme = storage.getItem("shell:style") || "auto";
    const query = window.matchMedia?.("(prefers-color-scheme: dark)");
    const update = () => {
        const dark = theme === "dark" || (theme === "auto" && !!query?.matches);
        document.documentElement.classList.toggle("pf-v6-theme-dark", dark);
    };
    update();
    query?.addEventListener?.("change", update);
}

function boot(): void {
    const local = pageStorage(window);
    applyTheme(local);
    translateDocument(document);
    new LoginPage({
        document,
        environment: window.environment ?? {},
        pathname: window.location.pathname,
        local,
        session: window.sessionStorage,
        transport: fetchTransport,
        navigation: {
            assign: url => window.location.assign(url),
            reload: () => window.location.reload(),
        },
    }).start();
}

if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", boot);
else
    boot();
