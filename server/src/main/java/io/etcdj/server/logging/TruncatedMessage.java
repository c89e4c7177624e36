package io.etcdj.server.logging;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A log message cut to a byte budget, for a journal entry that would not fit in one datagram:
 * the head of the message, then a marker saying how long the whole was, so a reader of the
 * journal sees the entry and knows that its tail is missing. The result, marker included, is
 * never longer than the budget in UTF-8 and never splits a character.
 */
final class TruncatedMessage {
    private TruncatedMessage() {}

    /** {@code message} unchanged if it fits in {@code maxBytes} of UTF-8, else its head and the marker. */
    static String fit(String message, int maxBytes) {
        byte[] whole = message.getBytes(StandardCharsets.UTF_8);
        if (whole.length <= maxBytes) {
            return message;
        }
        String marker = marker(whole.length);
        int headBytes = Math.max(0, maxBytes - marker.getBytes(StandardCharsets.UTF_8).length);
        return head(message, headBytes) + marker;
    }

    /** What ends a cut message; searching the journal for "etcdj truncated" finds every one. */
    static String marker(int wholeBytes) {
        return " ... [etcdj truncated this message of " + wholeBytes + " bytes to fit one journal datagram]";
    }

    /** The longest prefix of {@code message} whose UTF-8 encoding has at most {@code maxBytes} bytes. */
    private static String head(String message, int maxBytes) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
        CharBuffer in = CharBuffer.wrap(message);
        encoder.encode(in, ByteBuffer.allocate(maxBytes), true); // stops before the first char that does not fit
        return message.substring(0, in.position());
    }
}
