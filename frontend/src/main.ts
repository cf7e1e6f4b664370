/** Entry point: runs the login page against the real browser. */
import "./login.css";
import { translateDocument } from "./i18n";
import { LoginPage } from "./login-page";
import { pageStorage } from "./storage";
import { applyTheme } from "./theme";
import { fetchTransport } from "./transport";

function boot(): void {
    const local = pageStorage(window);
    applyTheme(window, local);
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
