package io.cockpitwsjava.beiboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FernyStderrParserTest {

    /** Records what the parser reports. */
    static final class Recorder implements FernyStderrParser.Listener {
        final List<String> commands = new ArrayList<>();
        final ByteArrayOutputStream text = new ByteArrayOutputStream();

        @Override
        public void onCommand(String name, List<Object> args) {
            commands.add(name + " " + PythonLiteral.repr(args));
        }

        @Override
        public void onText(byte[] data, int off, int len) {
            text.write(data, off, len);
        }

        String text() {
            return text.toString(StandardCharsets.UTF_8);
        }
    }

    static String frame(String payload) {
        return "\0ferny\0" + payload + "\0\0\n";
    }

    static final String PROVIDE = frame("('beiboot.provide', (96260,))");
    static final String EXISTS = frame("('cockpit.report-exists', ({'/usr/bin/python3': True, '/nonexistent': False},))");
    static final String OS = frame("('cockpit.check-os-release', ('NAME=\"Fedora Linux\"\\nID=fedora\\nVERSION_ID=42\\n',))");

    /** stderr as the target writes it: prompts, frames, junk; with the expected commands and text. */
    static final String STREAM = ">>> >>> >>> ... ... ... " + OS + EXISTS + "... " + "warning: \0fern\0y\n"
            + frame("('bad', 'not a tuple')") + frame("(1, ())") + frame("garbage(") + frame("('é', ('\u263a',))")
            + "\0ferny\0('lf', ())\n\0\0\n" // LF before the terminator: text
            + "\0ferny\0\0\n" + PROVIDE + "tail \0ferny";
    static final List<String> COMMANDS = List.of(
            "cockpit.check-os-release ('NAME=\"Fedora Linux\"\\nID=fedora\\nVERSION_ID=42\\n',)",
            "cockpit.report-exists ({'/usr/bin/python3': True, '/nonexistent': False},)",
            "\u00e9 ('\\u263a',)",
            "beiboot.provide (96260,)");
    static final String TEXT = ">>> >>> >>> ... ... ... ... warning: \0fern\0y\n"
            + "\0ferny\0('lf', ())\n\0\0\n\0ferny\0\0\ntail \0ferny";

    @Test
    void splitsCommandsFromTextAtEverySplitPoint() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            Recorder recorder = new Recorder();
            FernyStderrParser parser = new FernyStderrParser(recorder, 1024);
            parser.feed(bytes, 0, split);
            parser.feed(bytes, split, bytes.length - split);
            parser.finish();
            assertEquals(COMMANDS, recorder.commands, "split at " + split);
            assertEquals(TEXT, recorder.text(), "split at " + split);
            assertEquals(TEXT, parser.textTail(), "split at " + split);
        }
    }

    @Test
    void randomChunkingGivesTheSameResult() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            Recorder recorder = new Recorder();
            FernyStderrParser parser = new FernyStderrParser(recorder, 1024);
            int pos = 0;
            while (pos < bytes.length) {
                int n = Math.min(bytes.length - pos, random.nextInt(1, 12));
                // feed from a fresh array so the parser cannot depend on the caller's buffer
                parser.feed(Arrays.copyOfRange(bytes, pos, pos + n), 0, n);
                pos += n;
            }
            parser.finish();
            assertEquals(COMMANDS, recorder.commands, "seed " + seed);
            assertEquals(TEXT, recorder.text(), "seed " + seed);
        }
    }

    @Test
    void partialFrameIsHeldBackUntilComplete() {
        Recorder recorder = new Recorder();
        FernyStderrParser parser = new FernyStderrParser(recorder, 1024);
        byte[] bytes = (">>> " + PROVIDE).getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length - 1);
        assertEquals(List.of(), recorder.commands);
        assertEquals(">>> ", recorder.text());
        parser.feed(bytes, bytes.length - 1, 1);
        assertEquals(List.of("beiboot.provide (96260,)"), recorder.commands);
    }

    @Test
    void fernyEndTurnsTheRestIntoText() {
        Recorder recorder = new Recorder();
        FernyStderrParser parser = new FernyStderrParser(recorder, 1024);
        String afterEnd = "log line\n" + PROVIDE;
        byte[] bytes = (EXISTS + frame("('ferny.end', ())") + afterEnd).getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        assertEquals(2, recorder.commands.size());
        assertEquals("ferny.end ()", recorder.commands.get(1));
        assertEquals(afterEnd, recorder.text());
        byte[] more = PROVIDE.getBytes(StandardCharsets.UTF_8);
        parser.feed(more, 0, more.length);
        assertEquals(2, recorder.commands.size());
        assertTrue(!parser.interpretingCommands());
    }

    @Test
    void stopCommandsFlushesPendingCandidateAsText() {
        Recorder recorder = new Recorder();
        FernyStderrParser parser = new FernyStderrParser(recorder, 1024);
        byte[] half = "x\0ferny\0('beiboot".getBytes(StandardCharsets.UTF_8);
        parser.feed(half, 0, half.length);
        parser.stopCommands();
        byte[] rest = (".provide', (1,))\0\0\n" + PROVIDE).getBytes(StandardCharsets.UTF_8);
        parser.feed(rest, 0, rest.length);
        assertEquals(List.of(), recorder.commands);
        assertEquals(new String(half, StandardCharsets.UTF_8) + new String(rest, StandardCharsets.UTF_8),
                recorder.text());
    }

    @Test
    void textTailIsBoundedAndKeepsTheEnd() {
        Recorder recorder = new Recorder();
        FernyStderrParser parser = new FernyStderrParser(recorder, 16);
        byte[] bytes = ("0123456789".repeat(10) + PROVIDE + "\u00e9abcdefghijklmno").getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(new byte[] {b}, 0, 1);
        }
        // 16 bytes: the last byte of 'é' is cut off at the front and dropped
        assertEquals("abcdefghijklmno", parser.textTail());
        assertEquals(List.of("beiboot.provide (96260,)"), recorder.commands);
    }

    @Test
    void oversizedCandidateBecomesTextAndParsingRecovers() {
        Recorder recorder = new Recorder();
        FernyStderrParser parser = new FernyStderrParser(recorder, 64);
        byte[] start = "\0ferny\0('x', ('".getBytes(StandardCharsets.UTF_8);
        parser.feed(start, 0, start.length);
        byte[] filler = new byte[1 << 20];
        Arrays.fill(filler, (byte) 'a');
        for (int i = 0; i <= FernyStderrParser.MAX_FRAME_BYTES / filler.length; i++) {
            parser.feed(filler, 0, filler.length);
        }
        byte[] end = ("',))\0\0\n" + PROVIDE).getBytes(StandardCharsets.UTF_8);
        parser.feed(end, 0, end.length);
        assertEquals(List.of("beiboot.provide (96260,)"), recorder.commands);
        assertEquals(start.length + (long) filler.length * (FernyStderrParser.MAX_FRAME_BYTES / filler.length + 1)
                + end.length - PROVIDE.length(), recorder.text.size());
    }

    /** A stderr flood of every shape keeps the parser's memory at its caps (hostile targets, docs/SECURITY.md). */
    @Test
    void floodsOfEveryShapeStayWithinTheCaps() {
        int chunk = 8 * 1024; // what ExecChannelTransport reads from stderr at a time
        long bound = 2L * (FernyStderrParser.MAX_FRAME_BYTES + chunk) + 64 * 1024;
        java.util.Map<String, byte[]> shapes = new java.util.LinkedHashMap<>();
        shapes.put("plain text", "log line without end ".getBytes(StandardCharsets.UTF_8));
        shapes.put("a marker that never ends", "\0ferny\0(".getBytes(StandardCharsets.UTF_8));
        shapes.put("markers back to back", "\0ferny\0\0ferny\0".getBytes(StandardCharsets.UTF_8));
        shapes.put("marker prefixes", "\0fern".getBytes(StandardCharsets.UTF_8));
        shapes.put("unterminated commands", "\0ferny\0('x', ())\0\n".getBytes(StandardCharsets.UTF_8));
        for (var shape : shapes.entrySet()) {
            CountingListener counter = new CountingListener();
            FernyStderrParser parser = new FernyStderrParser(counter, 64 * 1024);
            byte[] block = new byte[chunk];
            byte[] unit = shape.getValue();
            for (int i = 0; i < block.length; i++) {
                block[i] = unit[i % unit.length];
            }
            long fed = 0;
            int maxHeld = 0;
            // 64 MiB: a thousand times the candidate cap
            for (int i = 0; i < 64 * 1024 * 1024 / chunk; i++) {
                parser.feed(block, 0, block.length);
                fed += block.length;
                maxHeld = Math.max(maxHeld, parser.bufferedBytes());
            }
            assertTrue(maxHeld <= bound, shape.getKey() + ": held " + maxHeld + " > " + bound);
            parser.finish();
            assertEquals(fed, counter.textBytes, shape.getKey() + ": every byte is text exactly once");
            assertEquals(0, counter.commands, shape.getKey());
        }
    }

    static final class CountingListener implements FernyStderrParser.Listener {
        long textBytes;
        int commands;

        @Override
        public void onCommand(String name, List<Object> args) {
            commands++;
        }

        @Override
        public void onText(byte[] data, int off, int len) {
            textBytes += len;
        }
    }
}
