package io.etcdj.server.config;

import java.math.BigInteger;

/**
 * Go's {@code strconv.ParseInt(s, 0, bits)} / {@code ParseUint(s, 0, bits)}, the integer syntax
 * of Go's flag package: optional sign (signed only), base prefixes 0x/0o/0b, a leading 0 for
 * octal, and underscores between digits.
 */
final class GoNumbers {
    /** A strconv failure; {@link #rangeError} tells "value out of range" from "invalid syntax". */
    static final class NumberException extends Exception {
        final boolean rangeError;

        NumberException(String function, String input, boolean rangeError) {
            super("strconv." + function + ": parsing \"" + input + "\": "
                    + (rangeError ? "value out of range" : "invalid syntax"));
            this.rangeError = rangeError;
        }
    }

    private GoNumbers() {}

    /** Parses an unsigned integer of {@code bits} bits; the result is the unsigned bit pattern. */
    static long parseUnsigned(String s, int bits) throws NumberException {
        BigInteger v = magnitude(s, "ParseUint", s);
        if (v.bitLength() > bits) {
            throw new NumberException("ParseUint", s, true);
        }
        return v.longValue();
    }

    /** Parses a signed integer of {@code bits} bits. */
    static long parseSigned(String s, int bits) throws NumberException {
        if (s.isEmpty()) {
            throw new NumberException("ParseInt", s, false);
        }
        String body = s;
        boolean negative = false;
        if (body.charAt(0) == '+' || body.charAt(0) == '-') {
            negative = body.charAt(0) == '-';
            body = body.substring(1);
        }
        BigInteger v = magnitude(body, "ParseInt", s);
        if (negative) {
            v = v.negate();
        }
        BigInteger max = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        BigInteger min = BigInteger.ONE.shiftLeft(bits - 1).negate();
        if (v.compareTo(max) > 0 || v.compareTo(min) < 0) {
            throw new NumberException("ParseInt", s, true);
        }
        return v.longValue();
    }

    private static BigInteger magnitude(String s, String function, String original)
            throws NumberException {
        if (s.isEmpty()) {
            throw new NumberException(function, original, false);
        }
        int base = 10;
        String digits = s;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'x') {
                base = 16;
                digits = s.substring(2);
            } else if (p == 'o') {
                base = 8;
                digits = s.substring(2);
            } else if (p == 'b') {
                base = 2;
                digits = s.substring(2);
            } else {
                base = 8;
                digits = s.substring(1);
            }
        }
        if (digits.indexOf('_') >= 0) {
            if (!underscoresOk(s)) {
                throw new NumberException(function, original, false);
            }
            digits = digits.replace("_", "");
        }
        if (digits.isEmpty()) {
            throw new NumberException(function, original, false);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), base) < 0) {
                throw new NumberException(function, original, false);
            }
        }
        return new BigInteger(digits, base);
    }

    /** Underscores may only separate digits, or follow a base prefix. */
    private static boolean underscoresOk(String s) {
        char saw = '^';
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'b' || p == 'o' || p == 'x') {
                i = 2;
                saw = '0';
                hex = p == 'x';
            }
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            char lc = Character.toLowerCase(c);
            if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }
}
