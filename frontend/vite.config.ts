/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { inlineBundle } from "./inline-bundle";

export default defineConfig({
    // relative URLs: the page is served for every shell path, under any UrlRoot
    base: "./",
    build: {
        // the Maven build picks the page up from here and puts it into the jar
        outDir: "../target/classes/frontend",
        emptyOutDir: true,
        target: "es2020",
        modulePreload: false,
        assetsInlineLimit: 100_000,
        cssCodeSplit: false,
    },
    plugins: [inlineBundle()],
    test: {
        include: ["test/**/*.test.ts"],
        environment: "node",
        silent: "passed-only",
    },
});
