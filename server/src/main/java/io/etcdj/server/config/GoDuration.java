package io.etcdj.server.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration} and {@code time.Duration.String}, which etcd uses for every
 * duration flag ("5s", "1h30m", "100ms", "0"). Durations are whole nanoseconds in the range of
 * a signed 64-bit integer, as in Go.
 */
public final class GoDuration {
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L,
            "\u03bcs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /** Parses Go duration syntax: {@code [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+}, or a bare "0". */
    public static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!(c == '.' || isDigit(c))) {
                throw invalid(text);
            }
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            boolean pre = i > start;
            String intPart = s.substring(start, i);
            String fracPart = "";
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fs = i;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    i++;
                }
                post = i > fs;
                fracPart = s.substring(fs, i);
            }
            if (!pre && !post) {
                throw invalid(text);
            }
            int us = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            if (i == us) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
            }
            String unit = s.substring(us, i);
            Long nanos = UNITS.get(unit);
            if (nanos == null) {
                throw new IllegalArgumentException(
                        "time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            }
            BigDecimal value = new BigDecimal((intPart.isEmpty() ? "0" : intPart)
                    + (fracPart.isEmpty() ? "" : "." + fracPart));
            total = total.add(value.multiply(BigDecimal.valueOf(nanos)));
            if (total.compareTo(negative ? MAX.add(BigDecimal.ONE) : MAX) > 0) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
        }
        BigInteger nanos = total.toBigInteger();
        return Duration.ofNanos((negative ? nanos.negate() : nanos).longValueExact());
    }

    /** Formats like Go's {@code Duration.String()}: "0s", "100ms", "1m0s", "2h0m0s", "1.5s". */
    public static String format(Duration d) {
        BigInteger n = BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(d.getNano()));
        boolean negative = n.signum() < 0;
        long u = n.abs().min(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)).longValue();
        String sign = negative ? "-" : "";
        if (u == 0) {
            return "0s";
        }
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            if (u < 1_000L) {
                return sign + u + "ns";
            }
            if (u < 1_000_000L) {
                return sign + fraction(u, 3) + "\u00b5s";
            }
            return sign + fraction(u, 6) + "ms";
        }
        String frac = fractionDigits(u, 9);
        long secs = Long.divideUnsigned(u, 1_000_000_000L);
        StringBuilder out = new StringBuilder(sign);
        long hours = secs / 3600;
        long minutes = (secs / 60) % 60;
        long seconds = secs % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(seconds).append(frac).append('s');
        return out.toString();
    }

    private static String fraction(long v, int prec) {
        long scale = (long) Math.pow(10, prec);
        return (v / scale) + fractionDigits(v, prec);
    }

    /** ".ddd" with trailing zeros removed, or "" when the fraction is zero. */
    private static String fractionDigits(long v, int prec) {
        long scale = (long) Math.pow(10, prec);
        long frac = Long.remainderUnsigned(v, scale);
        if (frac == 0) {
            return "";
        }
        String digits = String.format("%0" + prec + "d", frac);
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return "." + digits.substring(0, end);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
}
