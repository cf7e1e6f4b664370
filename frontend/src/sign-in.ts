/**
 * The users-file sign-in form of fleet mode (`<root>/fleet/sign-in`): posts user name and password to
 * `fleet/j_security_check` (Quarkus form authentication: 200 signs in, 401 refuses) and then asks `fleet/sign-in`
 * again with the same query, where the gateway, now seeing the sign-in, redirects to the page the person came for.
 */
import { _ } from "./i18n";

/** What the form needs from the browser (a test gives its own). */
export interface SignInDeps {
    document: Document;
    /** The query of this page's URL (`?return=...`), passed on unchanged. */
    search: string;
    post: (url: string, body: URLSearchParams) => Promise<{ status: number }>;
    navigate: (url: string) => void;
}

export class SignInForm {
    private readonly form: HTMLFormElement;
    private readonly user: HTMLInputElement;
    private readonly password: HTMLInputElement;
    private readonly button: HTMLButtonElement;
    private readonly error: HTMLElement;
    private readonly errorGroup: HTMLElement;
    private busy = false;

    constructor(private readonly deps: SignInDeps) {
        const d = deps.document;
        this.form = d.getElementById("sign-in-form") as HTMLFormElement;
        this.user = d.getElementById("sign-in-user") as HTMLInputElement;
        this.password = d.getElementById("sign-in-password") as HTMLInputElement;
        this.button = d.getElementById("sign-in-button") as HTMLButtonElement;
        this.error = d.getElementById("sign-in-error") as HTMLElement;
        this.errorGroup = d.getElementById("error-group") as HTMLElement;
    }

    start(): void {
        this.errorGroup.hidden = true;
        this.form.hidden = false;
        this.form.addEventListener("submit", event => {
            event.preventDefault();
            void this.submit();
        });
        this.user.focus();
    }

    async submit(): Promise<void> {
        if (this.busy)
            return;
        const user = this.user.value.trim();
        if (!user || !this.password.value) {
            this.showError(_("User name and password are required"));
            return;
        }
        this.busy = true;
        this.button.disabled = true;
        this.errorGroup.hidden = true;
        try {
            const body = new URLSearchParams({ j_username: user, j_password: this.password.value });
            const answer = await this.deps.post("fleet/j_security_check", body);
            if (answer.status === 200) {
                this.deps.navigate("fleet/sign-in" + this.deps.search);
                return;
            }
            this.password.value = "";
            this.showError(answer.status === 401 ? _("Wrong user name or password")
                : _("Sign-in failed") + ` (${answer.status})`);
            this.password.focus();
        } catch {
            this.showError(_("The gateway cannot be reached"));
        } finally {
            this.busy = false;
            this.button.disabled = false;
        }
    }

    private showError(text: string): void {
        this.error.textContent = text;
        this.errorGroup.hidden = false;
    }
}
