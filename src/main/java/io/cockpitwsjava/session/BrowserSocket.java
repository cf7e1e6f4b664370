package io.cockpitwsjava.session;

/** The transport side of one browser WebSocket, implemented by the web layer. Methods are thread-safe. */
public interface BrowserSocket {

    void sendText(byte[] message);

    void sendBinary(byte[] message);

    /**
     * Sends {@code head} followed by {@code payload} as one message (text or binary): a channel's data with its
     * {@code "<channel>\n"} prefix, which an implementation may write without joining the two arrays. Neither array
     * may change afterwards.
     */
    default void send(boolean binary, byte[] head, byte[] payload) {
        byte[] message = java.util.Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, message, head.length, payload.length);
        if (binary) {
            sendBinary(message);
        } else {
            sendText(message);
        }
    }

    /** Closes with a WebSocket status code and reason. */
    void close(int code, String reason);

    /** Whether the outgoing queue is above its high-water mark. */
    boolean writeQueueFull();

    /** Calls {@code whenDrained} once the outgoing queue is writable again. */
    void onDrain(Runnable whenDrained);

    /** Stops/resumes reading from the browser (back-pressure towards the bridge). */
    void pauseInput();

    void resumeInput();
}
