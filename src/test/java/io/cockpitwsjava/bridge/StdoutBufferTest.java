package io.cockpitwsjava.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.sshd.common.util.buffer.Buffer;
import org.junit.jupiter.api.Test;

class StdoutBufferTest {

    @Test
    void interactiveReadsReuseOneSmallBuffer() {
        StdoutBuffer b = new StdoutBuffer();
        Buffer first = b.next();
        assertEquals(StdoutBuffer.SMALL, first.capacity());
        first.putRawBytes(new byte[60]);
        b.filled(60);
        Buffer second = b.next();
        assertSame(first, second, "the same buffer again");
        assertEquals(0, second.available(), "emptied for the next read");
        assertEquals(0, second.wpos());
    }

    @Test
    void aFullReadGrowsItAndALongRunOfSmallReadsShrinksItAgain() {
        StdoutBuffer b = new StdoutBuffer();
        Buffer small = b.next();
        b.filled(StdoutBuffer.SMALL);
        Buffer large = b.next();
        assertNotSame(small, large);
        assertEquals(StdoutBuffer.LARGE, large.capacity());
        // a stream keeps it: full and medium reads
        b.filled(StdoutBuffer.LARGE);
        b.filled(20_000);
        assertSame(large, b.next());
        // small reads: it stays large until SMALL_READS_TO_SHRINK of them in a row
        for (int i = 1; i < StdoutBuffer.SMALL_READS_TO_SHRINK; i++) {
            b.filled(100);
            assertEquals(StdoutBuffer.LARGE, b.capacity(), "after " + i + " small reads");
        }
        b.filled(30_000); // a larger read in between starts the count again
        for (int i = 1; i < StdoutBuffer.SMALL_READS_TO_SHRINK; i++) {
            b.filled(100);
        }
        assertEquals(StdoutBuffer.LARGE, b.capacity());
        b.filled(100);
        assertEquals(StdoutBuffer.SMALL, b.capacity(), "back to small after a run of small reads");
    }
}
