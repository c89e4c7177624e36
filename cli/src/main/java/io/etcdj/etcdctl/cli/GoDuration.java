package io.etcdj.etcdctl.cli;

import io.etcdj.etcdctl.print.GoQuote;

/** Go's time.ParseDuration and Duration.String, over nanoseconds held in a long. */
public final class GoDuration {
    private GoDuration() {}

    public static long parse(String s) throws FlagValueException {
        String orig = s;
        int i = 0;
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            i = 1;
        }
        if (s.substring(i).equals("0")) {
            return 0;
        }
        if (i == s.length()) {
            throw invalid(orig);
        }
        double total = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            boolean pre = i > start;
            String intPart = s.substring(start, i);
            String frac = "";
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fs = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                frac = s.substring(fs, i);
            }
            if (!pre && frac.isEmpty()) {
                throw invalid(orig);
            }
            int us = i;
            while (i < s.length() && s.charAt(i) != '.' && !Character.isDigit(s.charAt(i))) i++;
            String unit = s.substring(us, i);
            if (unit.isEmpty()) {
                throw new FlagValueException("time: missing unit in duration " + GoQuote.quote(orig));
            }
            long mult = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new FlagValueException(
                        "time: unknown unit " + GoQuote.quote(unit) + " in duration " + GoQuote.quote(orig));
            };
            double v = (intPart.isEmpty() ? 0 : Double.parseDouble(intPart))
                    + (frac.isEmpty() ? 0 : Double.parseDouble("0." + frac));
            total += v * mult;
        }
        long r = Math.round(total);
        return neg ? -r : r;
    }

    private static FlagValueException invalid(String s) {
        return new FlagValueException("time: invalid duration " + GoQuote.quote(s));
    }

    /** time.Duration.String(). */
    public static String format(long d) {
        if (d == 0) {
            return "0s";
        }
        boolean neg = d < 0;
        long u = Math.abs(d);
        StringBuilder sb = new StringBuilder();
        if (u < 1_000_000_000L) {
            String unit;
            long scale;
            if (u < 1_000L) {
                return (neg ? "-" : "") + u + "ns";
            } else if (u < 1_000_000L) {
                unit = "µs";
                scale = 1_000L;
            } else {
                unit = "ms";
                scale = 1_000_000L;
            }
            sb.append(fixed(u, scale)).append(unit);
        } else {
            long secsNanos = u % 60_000_000_000L;
            long mins = u / 60_000_000_000L;
            String secs = fixed(secsNanos, 1_000_000_000L) + "s";
            if (mins > 0) {
                long hours = mins / 60;
                mins = mins % 60;
                if (hours > 0) {
                    sb.append(hours).append('h');
                }
                sb.append(mins).append('m');
            }
            sb.append(secs);
        }
        return (neg ? "-" : "") + sb;
    }

    /** value/scale with the fractional digits Go prints (trailing zeros trimmed). */
    private static String fixed(long value, long scale) {
        long whole = value / scale;
        long frac = value % scale;
        if (frac == 0) {
            return Long.toString(whole);
        }
        int width = Long.toString(scale).length() - 1;
        String f = String.format("%0" + width + "d", frac);
        int end = f.length();
        while (end > 0 && f.charAt(end - 1) == '0') end--;
        return whole + "." + f.substring(0, end);
    }
}
