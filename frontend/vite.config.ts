/// <reference types="vitest/config" />
import purgeCss from "@fullhuman/postcss-purgecss";
import { defineConfig } from "vite";
import { inlineBundle } from "./inline-bundle";

/**
 * Three pages, each built on its own into one self-contained HTML file (a shared chunk could not be inlined):
 * `vite build` makes the login page (index.html), `vite build --mode fleet` the fleet page (fleet.html) and
 * `vite build --mode sign-in` fleet mode's users-file sign-in page (sign-in.html).
 */
export default defineConfig(({ mode }) => {
    const fleet = mode === "fleet";
    const page = fleet ? "fleet.html" : mode === "sign-in" ? "sign-in.html" : "index.html";
    return {
        // relative URLs: the page is served for every shell path, under any UrlRoot
        base: "./",
        build: {
            // the Maven build picks the pages up from here and puts them into the jar
            outDir: "../target/classes/frontend",
            // the login build runs first and starts from an empty directory; the other builds add their page
            emptyOutDir: page === "index.html",
            target: "es2020",
            modulePreload: false,
            assetsInlineLimit: 100_000,
            cssCodeSplit: false,
            rollupOptions: { input: page },
        },
        css: fleet ? {
            postcss: {
                plugins: [
                    // PatternFly is large; keep the selectors, variables and fonts this page can use. Class names
                    // must appear literally in the markup or the scripts for their rules to survive.
                    purgeCss({
                        content: ["fleet.html", "src/fleet/**/*.ts", "src/theme.ts"],
                        variables: true,
                        fontFace: true,
                        safelist: { standard: [/^pf-v6-theme-dark$/] },
                    }),
                ],
            },
        } : undefined,
        plugins: [inlineBundle(page)],
        test: {
            include: ["test/**/*.test.ts"],
            environment: "node",
            silent: "passed-only",
        },
    };
});
