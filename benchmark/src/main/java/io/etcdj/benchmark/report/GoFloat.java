package io.etcdj.benchmark.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Float formatting as Go's fmt package does it for the verbs etcd's report uses: {@code %4.4f}
 * (fixed, four decimals) and {@code %g}/{@code %v} with the shortest precision (plain notation
 * while the decimal exponent is in [-4, 6), else {@code d.ddde-05} with at least two exponent
 * digits).
 */
public final class GoFloat {
    private GoFloat() {}

    /** Go's {@code %4.4f}. */
    public static String fixed4(double v) {
        return String.format(Locale.ROOT, "%4.4f", v);
    }

    /** Go's {@code %g} / {@code %v} for a float64 with the shortest representation. */
    public static String shortest(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale(); // decimal exponent of the leading digit
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String es = Integer.toString(Math.abs(exp));
            if (es.length() < 2) {
                es = "0" + es;
            }
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + es;
        }
        return sign + d.abs().toPlainString();
    }

    /** A duration as Go's {@code time.Duration.String()} prints it (e.g. 1.5ms, 250µs, 2.000001s). */
    public static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long u = Math.abs(nanos);
        if (u < 1_000L) {
            return sign + u + "ns";
        }
        if (u < 1_000_000L) {
            return sign + trimmed(u, 1_000L) + "µs";
        }
        if (u < 1_000_000_000L) {
            return sign + trimmed(u, 1_000_000L) + "ms";
        }
        long secs = u / 1_000_000_000L;
        long h = secs / 3600;
        long m = (secs / 60) % 60;
        String s = trimmed(u - (secs - secs % 60) * 1_000_000_000L, 1_000_000_000L) + "s";
        if (h > 0) {
            return sign + h + "h" + m + "m" + s;
        }
        if (m > 0) {
            return sign + m + "m" + s;
        }
        return sign + s;
    }

    private static String trimmed(long value, long unit) {
        long whole = value / unit;
        long frac = value % unit;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format(Locale.ROOT, "%0" + Long.toString(unit).length() + "d", frac).substring(1);
        int end = f.length();
        while (end > 0 && f.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + f.substring(0, end);
    }
}
