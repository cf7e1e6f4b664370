/** A Storage kept in a Map, for tests that run without a browser. */
export class MemoryStorage implements Storage {
    private readonly items = new Map<string, string>();
    [name: string]: unknown;

    get length(): number {
        return this.items.size;
    }

    clear(): void {
        this.items.clear();
    }

    getItem(key: string): string | null {
        return this.items.has(key) ? this.items.get(key)! : null;
    }

    key(index: number): string | null {
        return [...this.items.keys()][index] ?? null;
    }

    removeItem(key: string): void {
        this.items.delete(key);
    }

    setItem(key: string, value: string): void {
        this.items.set(key, String(value));
    }

    /** Contents as a plain object, for assertions. */
    snapshot(): Record<string, string> {
        return Object.fromEntries(this.items);
    }
}
