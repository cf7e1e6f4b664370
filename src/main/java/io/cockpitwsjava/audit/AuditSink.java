package io.cockpitwsjava.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** Where audit lines go. */
public interface AuditSink extends Closeable {

    /** Writes one complete line (the newline is added here). */
    void write(String line) throws IOException;

    /**
     * Standard output ({@link System#out}), written directly, not through the log handler: log levels and log formats
     * cannot drop or reshape audit lines. Each line is one call on the stream, which the log handler's writes to the
     * same stream cannot split.
     */
    static AuditSink stdout() {
        return new AuditSink() {
            @Override
            public void write(String line) throws IOException {
                byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                PrintStream out = System.out;
                out.write(bytes, 0, bytes.length);
                out.flush();
                if (out.checkError()) {
                    throw new IOException("standard output is not writable");
                }
            }

            @Override
            public void close() {
                // standard output belongs to the process
            }
        };
    }

    /** Appends to {@code file}, creating it (mode from the umask) if missing. */
    static AuditSink file(Path file) throws IOException {
        return new StreamSink(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), true);
    }

    /** Lines to a stream, one flushed write per line. */
    final class StreamSink implements AuditSink {
        private final OutputStream out;
        private final boolean closeStream;

        StreamSink(OutputStream out, boolean closeStream) {
            this.out = Objects.requireNonNull(out, "out");
            this.closeStream = closeStream;
        }

        @Override
        public synchronized void write(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            if (closeStream) {
                out.close();
            }
        }
    }
}
