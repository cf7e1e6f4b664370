/** Entry point of the fleet page: runs it against the real browser and gateway. */
import "./fleet/fleet.css";
import { FleetApi, fleetBase } from "./fleet/api";
import { FleetPage } from "./fleet/fleet-page";
import { translateDocument } from "./i18n";
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
    const api = new FleetApi(fleetBase(document, window.location), {
        fetch: (url, init) => window.fetch(url, init),
        eventSource: url => new EventSource(url),
    });
    void new FleetPage({
        document,
        api,
        navigate: url => window.location.assign(url),
        locale: document.documentElement.lang || undefined,
    }).start();
}

if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", boot);
else
    boot();
