package io.cockpitwsjava.audit;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
     * Standard output, written directly (not through the log handler): log levels and log formats cannot drop or
     * reshape audit lines, and each line goes out in one {@code write} call.
     */
    static AuditSink stdout() {
        return new StreamSink(new FileOutputStream(FileDescriptor.out), false);
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
