package io.cockpitwsjava.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link FrameDecoder}'s large buffers counted in a {@link FrameDecoder.Budget}. */
class FrameDecoderBudgetTest {

    /** A budget that records what is taken and refuses above {@code limit}. */
    static final class Counting implements FrameDecoder.Budget {
        final long limit;
        long used;
        long peak;

        Counting(long limit) {
            this.limit = limit;
        }

        @Override
        public boolean take(long bytes) {
            if (used + bytes > limit) {
                return false;
            }
            used += bytes;
            peak = Math.max(peak, used);
            return true;
        }

        @Override
        public void give(long bytes) {
            used -= bytes;
        }
    }

    static byte[] head(int payload) {
        return ((payload + 4) + "\n1:1\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void smallFramesAreNotCounted() throws Exception {
        FrameDecoder d = new FrameDecoder(16 << 20);
        Counting budget = new Counting(0);
        d.budget(budget);
        List<Frame> out = new ArrayList<>();
        int size = FrameDecoder.COUNTED_FROM / 2;
        d.feed(head(size), 0, head(size).length, out::add);
        d.feed(new byte[size], 0, size, out::add);
        assertEquals(1, out.size());
        assertEquals(0, budget.peak);
    }

    @Test
    void aLargeFrameIsCountedWhileItArrivesAndGivenBackWhenComplete() throws Exception {
        FrameDecoder d = new FrameDecoder(16 << 20);
        Counting budget = new Counting(Long.MAX_VALUE);
        d.budget(budget);
        List<Frame> out = new ArrayList<>();
        int size = 3 << 20;
        d.feed(head(size), 0, head(size).length, out::add);
        byte[] block = new byte[64 * 1024];
        for (int sent = 0; sent < size - block.length; sent += block.length) {
            d.feed(block, 0, block.length, out::add);
        }
        assertTrue(budget.used >= size - block.length && budget.used <= size, "counted " + budget.used);
        assertEquals(budget.used, d.countedBytes());
        d.feed(block, 0, block.length, out::add);
        assertEquals(1, out.size());
        assertEquals(size, out.get(0).payload().length);
        assertEquals(0, budget.used, "handed on: no longer the decoder's");
        assertEquals(0, d.countedBytes());
    }

    @Test
    void aRefusedGrowthIsTooLargeAndGivesBackWhatItHeld() throws Exception {
        FrameDecoder d = new FrameDecoder(16 << 20);
        Counting budget = new Counting(1 << 20);
        d.budget(budget);
        int size = 8 << 20;
        d.feed(head(size), 0, head(size).length, f -> { });
        byte[] block = new byte[64 * 1024];
        ProtocolException e = assertThrows(ProtocolException.class, () -> {
            for (int i = 0; i < 128; i++) {
                d.feed(block, 0, block.length, f -> { });
            }
        });
        assertEquals(Problem.TOO_LARGE, e.problem());
        assertEquals(0, budget.used, "a poisoned decoder holds nothing");
        assertTrue(budget.peak <= 1 << 20, "never more than the budget: " + budget.peak);
    }

    @Test
    void releaseGivesBackAndLaterGrowthIsNotCounted() throws Exception {
        FrameDecoder d = new FrameDecoder(16 << 20);
        Counting budget = new Counting(Long.MAX_VALUE);
        d.budget(budget);
        int size = 4 << 20;
        d.feed(head(size), 0, head(size).length, f -> { });
        byte[] block = new byte[1 << 20];
        d.feed(block, 0, block.length, f -> { });
        assertTrue(budget.used > 0);
        d.release();
        assertEquals(0, budget.used);
        d.feed(block, 0, block.length, f -> { });
        d.feed(block, 0, block.length, f -> { });
        assertEquals(0, budget.used, "a dropped decoder counts nothing");
    }
}
