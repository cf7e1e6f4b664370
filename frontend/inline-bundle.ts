/**
 * A small Vite plugin that inlines the built script and stylesheet into the page (index.html or fleet.html), so
 * the gateway serves the whole page as one document and needs no extra route. The page's CSP allows inline code
 * ('unsafe-inline').
 */
import type { Plugin } from "vite";

export function inlineBundle(pageName = "index.html"): Plugin {
    return {
        name: "inline-bundle",
        apply: "build",
        enforce: "post",
        generateBundle(_options, bundle) {
            const page = bundle[pageName];
            if (!page || page.type !== "asset")
                this.error(`${pageName} missing from the bundle`);
            let html = String(page.source);
            for (const [name, file] of Object.entries(bundle)) {
                const attr = `(?:\\.?/)?${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
                if (file.type === "chunk" && file.isEntry) {
                    // "</script" inside the code would end the inline element early
                    const code = file.code.replace(/<\/(script)/gi, "<\\/$1");
                    const tag = new RegExp(`<script type="module" crossorigin src="${attr}"></script>`);
                    if (!tag.test(html))
                        this.error(`no script tag for ${name}`);
                    html = html.replace(tag, () => `<script type="module">${code}</script>`);
                    delete bundle[name];
                } else if (file.type === "asset" && name.endsWith(".css")) {
                    const tag = new RegExp(`<link rel="stylesheet" crossorigin href="${attr}">`);
                    if (!tag.test(html))
                        this.error(`no stylesheet link for ${name}`);
                    html = html.replace(tag, () => `<style>${String(file.source)}</style>`);
                    delete bundle[name];
                }
            }
            page.source = html;
        },
    };
}
