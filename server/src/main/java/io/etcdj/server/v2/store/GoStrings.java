package io.etcdj.server.v2.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Go's strings are bytes; ours are UTF-16. etcd keeps a v2 key or value as the bytes the request
 * spelled (percent-escapes decoded), valid UTF-8 or not, and orders keys by those bytes. Here a
 * byte that does not start a valid UTF-8 sequence (as Go's utf8.DecodeRune judges it) is kept as
 * the lone surrogate U+DC00+byte, so that distinct byte strings stay distinct strings and turn
 * back into the same bytes (Go's JSON then writes each such byte as \ufffd).
 */
public final class GoStrings {
    private static final int ESCAPED_BYTE = 0xDC00;

    private GoStrings() {
    }

    /** {@code b} as a string: UTF-8 where valid, each other byte escaped. */
    public static String fromBytes(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int size = c < 0x80 ? 1 : validSequence(b, i);
            if (size == 0) {
                out.append((char) (ESCAPED_BYTE | c));
                i++;
            } else {
                out.append(new String(b, i, size, StandardCharsets.UTF_8));
                i += size;
            }
        }
        return out.toString();
    }

    /** The bytes {@code s} stands for (the inverse of {@link #fromBytes}). */
    public static byte[] toBytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isEscapedByte(cp)) {
                out.write(cp & 0xff);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    /** {@code s} holds no escaped byte (null counts as UTF-8). */
    public static boolean isUtf8(String s) {
        return s == null || s.chars().noneMatch(GoStrings::isEscapedByte);
    }

    /** Go's string order: by bytes, unsigned. */
    public static int compare(String a, String b) {
        return Arrays.compareUnsigned(toBytes(a), toBytes(b));
    }

    /** {@code c} stands for a byte that is not UTF-8 (written by Go's JSON as \ufffd). */
    public static boolean isEscapedByte(int c) {
        return c >= (ESCAPED_BYTE | 0x80) && c <= (ESCAPED_BYTE | 0xff);
    }

    /** The length of the valid UTF-8 sequence of 2–4 bytes at {@code i}, or 0 (Go's utf8 rules). */
    private static int validSequence(byte[] b, int i) {
        int c = b[i] & 0xff;
        int size;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            size = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            size = 3;
            lo = c == 0xe0 ? 0xa0 : lo; // no overlong forms
            hi = c == 0xed ? 0x9f : hi; // no surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            size = 4;
            lo = c == 0xf0 ? 0x90 : lo;
            hi = c == 0xf4 ? 0x8f : hi; // nothing above U+10FFFF
        } else {
            return 0;
        }
        if (i + size > b.length) {
            return 0;
        }
        for (int k = 1; k < size; k++) {
            int x = b[i + k] & 0xff;
            if (x < (k == 1 ? lo : 0x80) || x > (k == 1 ? hi : 0xbf)) {
                return 0;
            }
        }
        return size;
    }
}
