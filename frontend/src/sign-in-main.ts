/** Entry point of the users-file sign-in page: runs the form against the real browser and gateway. */
import "./login.css";
import { translateDocument } from "./i18n";
import { SignInForm } from "./sign-in";
import { applyTheme } from "./theme";

function storage(): Storage {
    try {
        return window.localStorage;
    } catch {
        return window.sessionStorage;
    }
}

function boot(): void {
    applyTheme(window, storage());
    translateDocument(document);
    const title = window.environment?.page?.title;
    if (title)
        document.title = title;
    new SignInForm({
        document,
        search: window.location.search,
        // same-origin only, no redirects followed: the answer's status is all the form needs
        post: (url, body) => window.fetch(url, { method: "POST", body, credentials: "same-origin", redirect: "manual" }),
        navigate: url => window.location.assign(url),
    }).start();
}

if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", boot);
else
    boot();
