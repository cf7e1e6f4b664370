/**
 * The login page's behaviour: shows the form, sends the login requests of docs/protocol.md §5, walks through the
 * gateway's questions (host keys, extra prompts) and, on success, stores what the shell expects and navigates.
 */
import { basicAuthorization, conversationAuthorization, keyscanType, parseChallenge, type Challenge } from "./challenge";
import type { PageEnvironment } from "./environment";
import { classifyFailure, type FailureView } from "./failure";
import { _, format } from "./i18n";
import { databaseHost, KnownHostsDatabase } from "./known-hosts";
import { isNested, loginApplication, loginPath, pageLocation, urlAfterLogin, type PageLocation } from "./paths";
import { recentHosts, rememberHost, storeLoginData, superuserForLogin } from "./storage";
import type { LoginResponse, LoginTransport } from "./transport";

/** Leaving the page. */
export interface PageNavigation {
    /** Opens another URL of the gateway. */
    assign(url: string): void;
    /** Reloads the current URL (path and hash kept). */
    reload(): void;
}

/** Everything the page touches outside its own document, so tests can supply fakes. */
export interface PageContext {
    document: Document;
    environment: PageEnvironment;
    pathname: string;
    local: Storage;
    session: Storage;
    transport: LoginTransport;
    navigation: PageNavigation;
}

type Form = "login" | "conversation" | "hostkey";

/** State of one login attempt (from "Log in" until success or an error on the form). */
interface Attempt {
    user: string;
    machine: string;
    application: string;
    path: string;
    /** Host (database key form) whose key the user accepted in this attempt. */
    acceptedKeyHost: string | null;
    /** The attempt already re-ran once without known_hosts after `invalid-hostkey`. */
    changedKeyRetried: boolean;
}

/** The login page controller. Call {@link start} once the document is parsed. */
export class LoginPage {
    private readonly doc: Document;
    private readonly env: PageEnvironment;
    private readonly loc: PageLocation;
    private readonly knownHosts: KnownHostsDatabase;
    private form: Form = "login";
    private busy = false;
    private attempt: Attempt | null = null;
    private challenge: Challenge | null = null;

    constructor(private readonly ctx: PageContext) {
        this.doc = ctx.document;
        this.env = ctx.environment;
        this.loc = pageLocation(ctx.pathname, basePath(ctx.document));
        this.knownHosts = new KnownHostsDatabase(ctx.local);
    }

    private el<T extends HTMLElement = HTMLElement>(id: string): T {
        const found = this.doc.getElementById(id);
        if (!found)
            throw new Error("login page element missing: #" + id);
        return found as T;
    }

    private input(id: string): HTMLInputElement {
        return this.el<HTMLInputElement>(id);
    }

    private show(id: string, visible: boolean): void {
        this.el(id).hidden = !visible;
    }

    private get page() {
        return this.env.page ?? {};
    }

    /** Host logins are allowed and "Connect to" is offered. */
    private get connectable(): boolean {
        return this.page.connect !== false;
    }

    /** The user must name a host (bastion mode), unless the URL already names one. */
    private get hostRequired(): boolean {
        return this.page.require_host === true && this.loc.hostFromPath === "";
    }

    /** Wires the controls and decides whether to show the form or try the existing session. */
    start(): void {
        this.hide("error-group");
        if (this.redirectToLoggedInMachine())
            return;

        if (this.loc.hostFromPath)
            this.input("server-field").value = this.loc.hostFromPath;
        if (isNested(this.ctx.pathname, this.loc))
            this.doc.documentElement.classList.add("inline");

        const title = this.loc.application.startsWith("cockpit+=")
            ? this.env.hostname || this.loc.hostFromPath
            : this.page.title || this.env.hostname;
        this.doc.title = title || _("Log in");
        if (this.loc.application.startsWith("cockpit+=")) {
            this.hide("badge");
            this.hide("brand");
        } else {
            this.applyBranding();
        }

        if (this.env.banner) {
            this.el("banner-message").textContent = this.env.banner.trimEnd();
            this.show("banner", true);
        }
        this.renderRecentHosts();
        this.wireControls();

        const logoutIntent = this.ctx.session.getItem("logout-intent") === "explicit";
        this.ctx.session.removeItem("logout-intent");
        const logoutReason = this.ctx.session.getItem("logout-reason");
        this.ctx.session.removeItem("logout-reason");

        if (this.env.OAuth) {
            this.fatal(_("Cockpit authentication is configured incorrectly."), "OAuth is not supported by this login page");
        } else if (logoutIntent || this.hostRequired) {
            this.showLogin(logoutReason);
        } else {
            void this.tryExistingSession();
        }
    }

    private hide(id: string): void {
        this.show(id, false);
    }

    /** Without AllowMultiHost, a browser already logged into a machine goes back to it (Cockpit's rule). */
    private redirectToLoggedInMachine(): boolean {
        const current = (this.env.logged_into ?? [])[0];
        if (!current || this.page.allow_multihost)
            return false;
        const root = this.loc.urlRoot ? "/" + this.loc.urlRoot : "";
        const target = current === "." ? root + "/" : root + "/=" + current;
        // never loop: the page is only shown here because that session is not valid for this URL
        if (target === this.ctx.pathname || target + "/" === this.ctx.pathname)
            return false;
        this.leave(target);
        return true;
    }

    /** Branding CSS sets `content` on `#brand::before` / `#badge::before`; show it as text. */
    private applyBranding(): void {
        for (const [id, fallback] of [["brand", "Cockpit"], ["badge", ""]] as const) {
            const elt = this.el(id);
            const view = this.doc.defaultView;
            let content = view?.getComputedStyle ? view.getComputedStyle(elt, "::before").content : "";
            if (content && content !== "none" && content !== "normal") {
                if (content.length > 2 && (content[0] === '"' || content[0] === "'") && content.endsWith(content[0]))
                    content = content.substring(1, content.length - 1);
                elt.textContent = content || fallback;
                elt.classList.add("brand-read");
            } else if (id === "brand") {
                elt.textContent = fallback;
            }
        }
    }

    private wireControls(): void {
        const formEl = this.el<HTMLFormElement>("login-form");
        formEl.addEventListener("submit", ev => {
            ev.preventDefault();
            this.submit();
        });
        this.input("login-user-input").addEventListener("keydown", ev => {
            if (ev.key === "Enter") {
                // Enter in the user field moves on to the password, as on Cockpit's page
                ev.preventDefault();
                this.input("login-password-input").focus();
            }
        });
        for (const id of ["login-user-input", "login-password-input", "server-field", "conversation-input"]) {
            this.input(id).addEventListener("input", () => {
                if (!this.busy)
                    this.clearError();
            });
        }
        this.el("login-password-toggle").addEventListener("click", () => {
            const pw = this.input("login-password-input");
            const reveal = pw.type === "password";
            pw.type = reveal ? "text" : "password";
            const label = reveal ? _("Hide password") : _("Show password");
            const toggle = this.el("login-password-toggle");
            toggle.setAttribute("aria-pressed", String(reveal));
            toggle.setAttribute("aria-label", label);
            toggle.title = label;
        });
        this.el("show-other-login-options").addEventListener("click", () => {
            this.setServerExpanded(this.el("server-group").hidden);
            if (!this.el("server-group").hidden)
                this.input("server-field").focus();
        });
        this.el("server-clear").addEventListener("click", () => {
            const field = this.input("server-field");
            field.value = "";
            field.focus();
        });
        this.el("get-out-link").addEventListener("click", () => this.cancelQuestion());
        this.el("login-again").addEventListener("click", () => {
            this.hide("login-fatal");
            this.showLogin(null);
        });
        this.doc.addEventListener("keydown", ev => {
            if (ev.key === "Escape" && this.form !== "login" && !this.busy && !this.el("login").hidden)
                this.cancelQuestion();
        });
    }

    private setServerExpanded(expanded: boolean): void {
        this.show("server-group", expanded);
        this.el("option-group").setAttribute("data-state", String(expanded));
        this.el("show-other-login-options").setAttribute("aria-expanded", String(expanded));
    }

    /** Asks the gateway whether this browser already has a session (200) or needs the form (401). */
    private async tryExistingSession(): Promise<void> {
        this.setBusy(true, _("Loading..."));
        const res = await this.ctx.transport(loginPath(this.loc, this.loc.application), {});
        this.setBusy(false, "");
        if (res.status === 200) {
            this.attempt = null;
            this.succeed(res, this.loc.application, "");
        } else if (res.status === 401 || res.status === 0) {
            this.showLogin(null);
        } else {
            const view = classifyFailure({
                status: res.status, statusText: res.statusText, conversation: false, user: "", machine: "",
                changedKeyRetried: true,
            });
            if (view.kind === "fatal")
                this.fatal(view.message, view.detail);
            else
                this.showLogin(null);
        }
    }

    /** Shows the user/password form, optionally with an informational message (e.g. why the user was logged out). */
    private showLogin(info: string | null): void {
        this.setInfo(info);
        this.el("server-name").textContent = this.doc.title;
        this.el("login-note").textContent = _("Log in with your server user account.");
        this.showForm("login");
        const user = this.input("login-user-input");
        if (this.hostRequired && user.value !== "" && this.input("server-field").value === "")
            this.input("server-field").focus();
        else if (user.value === "")
            user.focus();
        else
            this.input("login-password-input").focus();
    }

    private showForm(form: Form): void {
        this.form = form;
        this.hide("login-wait-validating");
        this.show("login", true);
        this.show("login-details", true);
        this.show("user-group", form === "login");
        this.show("password-group", form === "login");
        this.show("login-note", form === "login");
        this.show("conversation-group", form === "conversation");
        this.show("hostkey-group", form === "hostkey");
        this.el("login-button-text").textContent = form === "hostkey" ? _("Accept key and log in") : _("Log in");
        if (form !== "login")
            this.input("login-password-input").value = "";

        const requireHost = this.page.require_host === true;
        this.show("option-group", form === "login" && this.connectable && !requireHost);
        if (form !== "login" || !this.connectable)
            this.hide("server-group");
        else if (requireHost || this.input("server-field").value !== "")
            this.setServerExpanded(true);
        this.input("server-field").required = requireHost;

        const button = this.el("login-button");
        button.classList.remove("button-danger", "pf-m-danger");
        button.classList.add("button-primary", "pf-m-primary");
        this.show("get-out-link", form !== "login");
        this.setBusy(false, "");
    }

    private setBusy(busy: boolean, progress: string): void {
        this.busy = busy;
        const button = this.el("login-button");
        if (busy) {
            button.setAttribute("disabled", "true");
            button.setAttribute("spinning", "true");
        } else {
            button.removeAttribute("disabled");
            button.removeAttribute("spinning");
        }
        this.el("login-form").setAttribute("aria-busy", String(busy));
        this.el("login-progress").textContent = progress;
    }

    private clearError(): void {
        this.hide("error-group");
        this.el("login-error-title").textContent = "";
        this.el("login-error-message").textContent = "";
    }

    private setInfo(message: string | null): void {
        this.el("login-info-message").textContent = message ?? "";
        this.show("info-group", !!message);
    }

    private showError(title: string, message: string): void {
        this.el("login-error-title").textContent = title;
        const msg = this.el("login-error-message");
        msg.textContent = message;
        msg.hidden = message === "";
        this.show("error-group", true);
    }

    /** Full-page error with a way back to the form. */
    private fatal(message: string, detail: string): void {
        console.warn("login failed:", message, detail);
        this.setBusy(false, "");
        this.hide("login");
        this.hide("login-wait-validating");
        this.hide("error-group");
        const box = this.el("login-fatal-message");
        box.textContent = "";
        const main = this.doc.createElement("p");
        main.className = "fatal-title";
        main.textContent = message;
        box.appendChild(main);
        if (detail && detail !== message) {
            const more = this.doc.createElement("p");
            more.className = "fatal-detail";
            more.textContent = detail;
            box.appendChild(more);
        }
        this.show("login-fatal", true);
        this.show("login-again", true);
        this.el("login-again").focus();
    }

    /** Enter or the main button: act on whichever form is showing. */
    private submit(): void {
        if (this.busy)
            return;
        if (this.form === "login")
            void this.startAttempt();
        else if (this.form === "conversation" && this.challenge)
            void this.answer(this.challenge, this.input("conversation-input").value, false);
        else if (this.form === "hostkey" && this.challenge)
            void this.answer(this.challenge, this.challenge.defaultAnswer, true);
    }

    private async startAttempt(): Promise<void> {
        this.clearError();
        this.setInfo(null);
        const user = this.input("login-user-input").value.trim();
        const machine = this.connectable ? this.input("server-field").value.trim() : this.loc.hostFromPath;
        if (user === "") {
            this.showError(_("User name cannot be empty"), "");
            this.input("login-user-input").focus();
            return;
        }
        if (this.hostRequired && machine === "") {
            this.showError(_("Please specify the host to connect to"), "");
            this.setServerExpanded(true);
            this.input("server-field").focus();
            return;
        }
        const application = loginApplication(this.loc, machine);
        this.attempt = {
            user, machine, application,
            path: loginPath(this.loc, application),
            acceptedKeyHost: null,
            changedKeyRetried: false,
        };
        this.el("server-name").textContent = machine || this.env.hostname || "";
        await this.sendCredentials(this.attempt);
    }

    private async sendCredentials(attempt: Attempt): Promise<void> {
        const password = this.input("login-password-input").value;
        const superuser = superuserForLogin(this.ctx.local, attempt.user, attempt.machine);
        // after invalid-hostkey, ask again without our keys so the gateway offers the new key for confirmation
        const knownHosts = attempt.machine && !attempt.changedKeyRetried
            ? this.knownHosts.linesFor(attempt.machine) ?? ""
            : "";
        const headers: Record<string, string> = {
            "Authorization": basicAuthorization(attempt.user, password, knownHosts),
            "X-Superuser": superuser,
        };
        if (attempt.machine)
            headers["X-SSH-Connect-Unknown-Hosts"] = "yes";
        this.setBusy(true, attempt.machine ? format(_("Connecting to $0..."), attempt.machine) : _("Logging in..."));
        const res = await this.ctx.transport(attempt.path, headers);
        this.handleResponse(attempt, res, false);
    }

    private async answer(challenge: Challenge, answer: string, isHostKey: boolean): Promise<void> {
        const attempt = this.attempt;
        if (!attempt)
            return;
        this.clearError();
        if (isHostKey && challenge.hostKey)
            attempt.acceptedKeyHost = databaseHost(challenge.hostKey.host || attempt.machine);
        this.challenge = null;
        this.setBusy(true, isHostKey ? _("Verifying...") : _("Logging in..."));
        const res = await this.ctx.transport(attempt.path, {
            "Authorization": conversationAuthorization(challenge.id, answer),
        });
        this.handleResponse(attempt, res, true);
    }

    /** Cancel on a question: back to the form; a pending host key is declined so the gateway drops the connection. */
    private cancelQuestion(): void {
        const challenge = this.challenge;
        const attempt = this.attempt;
        this.challenge = null;
        this.attempt = null;
        if (challenge?.hostKey && attempt) {
            void this.ctx.transport(attempt.path, { "Authorization": conversationAuthorization(challenge.id, "no") });
        }
        this.showLogin(null);
    }

    private handleResponse(attempt: Attempt, res: LoginResponse, conversation: boolean): void {
        if (this.attempt !== attempt)
            return; // cancelled meanwhile
        if (res.status === 200) {
            this.succeed(res, attempt.application, attempt.machine);
            return;
        }
        if (res.status === 401 && res.challenge && res.challenge.toLowerCase().startsWith("x-conversation")) {
            const challenge = parseChallenge(res.challenge, res.body);
            if (!challenge)
                this.fatal(_("Internal error: Invalid challenge header"), res.challenge);
            else if (challenge.hostKey)
                this.askHostKey(attempt, challenge);
            else
                this.askQuestion(challenge);
            return;
        }
        this.rememberKeysFromFailure(attempt, res.body);
        const view = classifyFailure({
            status: res.status, statusText: res.statusText, conversation,
            user: attempt.user, machine: attempt.machine, changedKeyRetried: attempt.changedKeyRetried,
        });
        this.presentFailure(attempt, view);
    }

    /** A failed login after the user accepted a key still carries the accepted key (docs/protocol.md §5.6.6). */
    private rememberKeysFromFailure(attempt: Attempt, body: string): void {
        if (!attempt.acceptedKeyHost)
            return;
        try {
            const keys: unknown = JSON.parse(body)["known-hosts"];
            if (typeof keys === "string" && keys !== "")
                this.knownHosts.store(attempt.acceptedKeyHost, keys);
        } catch {
            // not JSON (an HTML error page): nothing to remember
        }
    }

    private presentFailure(attempt: Attempt, view: FailureView): void {
        switch (view.kind) {
        case "retry-changed-key":
            attempt.changedKeyRetried = true;
            void this.sendCredentials(attempt);
            return;
        case "fatal":
            this.attempt = null;
            this.fatal(view.message, view.detail);
            return;
        case "host":
            this.attempt = null;
            this.showForm("login");
            if (attempt.machine)
                this.setServerExpanded(true);
            this.showError(attempt.machine ? view.title : view.message || view.title,
                           attempt.machine ? view.message : "");
            this.focusAfterFailure(attempt.machine ? "server-field" : "login-password-input");
            return;
        case "form":
            this.attempt = null;
            this.showForm("login");
            this.showError(view.title, view.message);
            this.focusAfterFailure("login-password-input");
        }
    }

    private focusAfterFailure(id: string): void {
        const field = this.input(id);
        if (this.el(id === "server-field" ? "server-group" : "password-group").hidden)
            return;
        field.focus();
        field.select();
    }

    private askQuestion(challenge: Challenge): void {
        this.challenge = challenge;
        this.el("conversation-prompt").textContent = challenge.prompt;
        const message = this.el("conversation-message");
        message.textContent = challenge.message;
        message.hidden = challenge.message === "";
        const input = this.input("conversation-input");
        input.type = challenge.echo ? "text" : "password";
        input.value = challenge.defaultAnswer;
        this.showForm("conversation");
        input.focus();
    }

    private askHostKey(attempt: Attempt, challenge: Challenge): void {
        const hostKey = challenge.hostKey!;
        if (!hostKey.deferred) {
            console.error("unexpected host key question, expected a login-data placeholder:", hostKey);
            this.attempt = null;
            this.fatal(_("Internal protocol error"), "");
            return;
        }
        this.challenge = challenge;
        const shownHost = attempt.machine || databaseHost(hostKey.host);
        const changed = this.knownHosts.linesFor(hostKey.host) !== undefined;
        this.el("hostkey-title").textContent = changed ? format(_("$0 key changed"), shownHost) : _("New host");
        this.show("hostkey-warning-group", changed);
        this.el("hostkey-message-1").textContent = changed
            ? ""
            : format(_("You are connecting to $0 for the first time."), shownHost);
        this.el("hostkey-fingerprint").textContent = challenge.defaultAnswer;
        this.el("hostkey-type").textContent = hostKey.keyType ? format("($0)", hostKey.keyType) : "";
        this.show("hostkey-type", hostKey.keyType !== "");
        this.el("hostkey-verify-help-1").textContent = format(
            _("To verify a fingerprint, run the following on $0 while physically sitting at the machine or through a trusted network:"),
            shownHost);
        const type = keyscanType(hostKey.keyType);
        this.el("hostkey-verify-help-cmds").textContent =
            "ssh-keyscan" + (type ? " -t " + type : "") + " localhost | ssh-keygen -lf -";
        this.showForm("hostkey");
        if (changed) {
            const button = this.el("login-button");
            button.classList.remove("button-primary", "pf-m-primary");
            button.classList.add("button-danger", "pf-m-danger");
        }
        this.el("hostkey-title").focus();
    }

    private succeed(res: LoginResponse, application: string, machine: string): void {
        let response: Record<string, unknown> = {};
        try {
            const parsed: unknown = JSON.parse(res.body);
            if (parsed && typeof parsed === "object")
                response = parsed as Record<string, unknown>;
        } catch (ex) {
            console.warn("login response is not JSON", ex);
        }
        this.setBusy(true, _("Loading..."));
        const loginData = response["login-data"] as Record<string, unknown> | undefined;
        storeLoginData(this.ctx.local, this.ctx.session, application, loginData, this.loc.urlRoot,
                       this.env.CACertUrl);
        const accepted = this.attempt?.acceptedKeyHost;
        const keys = loginData?.["known-hosts"];
        if (accepted && typeof keys === "string" && keys !== "")
            this.knownHosts.store(accepted, keys);
        if (machine)
            rememberHost(this.ctx.local, machine);
        const wanted = urlAfterLogin(this.loc, application, machine);
        this.leave(wanted);
    }

    private leave(url: string | null): void {
        if (url)
            this.ctx.navigation.assign(url);
        else
            this.ctx.navigation.reload();
    }

    private renderRecentHosts(): void {
        const list = this.el("recent-hosts-list");
        list.textContent = "";
        for (const host of recentHosts(this.ctx.local)) {
            const option = this.doc.createElement("option");
            option.value = host;
            list.appendChild(option);
        }
    }
}

/** Path of the document's base URL (the gateway injects `<base href="/">` or `/UrlRoot/`). */
function basePath(doc: Document): string {
    try {
        return new URL(doc.baseURI).pathname;
    } catch {
        return "/";
    }
}
