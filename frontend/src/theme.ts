/**
 * Light or dark, as the Cockpit shell decides it: the user's choice under `shell:style` (auto, light, dark) in
 * localStorage, "auto" following `prefers-color-scheme`. PatternFly's dark tokens apply under `pf-v6-theme-dark`.
 */
export function applyTheme(win: Window, storage: Storage): void {
    let theme = "auto";
    try {
        theme = storage.getItem("shell:style") || "auto";
    } catch {
        // storage refused: follow the system
    }
    const query = win.matchMedia?.("(prefers-color-scheme: dark)");
    const update = () => {
        const dark = theme === "dark" || (theme === "auto" && !!query?.matches);
        win.document.documentElement.classList.toggle("pf-v6-theme-dark", dark);
    };
    update();
    query?.addEventListener?.("change", update);
}
