package io.cockpitwsjava.session;

/** The transport side of one browser WebSocket, implemented by the web layer. Methods are thread-safe. */
public interface BrowserSocket {

    void sendText(byte[] message);

    void sendBinary(byte[] message);

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
