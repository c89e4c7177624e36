package io.etcdj.benchmark.client;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads a Go duration ("2s", "500ms", "1m30s", "0") as pflag's DurationVar does. */
public final class GoDurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String s) {
        String in = s.trim();
        if (in.equals("0")) {
            return Duration.ZERO;
        }
        boolean negative = in.startsWith("-");
        if (negative || in.startsWith("+")) {
            in = in.substring(1);
        }
        if (in.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
        }
        double nanos = 0;
        int i = 0;
        while (i < in.length()) {
            int start = i;
            while (i < in.length() && (Character.isDigit(in.charAt(i)) || in.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
            }
            double number = Double.parseDouble(in.substring(start, i));
            int unitStart = i;
            while (i < in.length() && !Character.isDigit(in.charAt(i)) && in.charAt(i) != '.') {
                i++;
            }
            String unit = in.substring(unitStart, i);
            double scale = switch (unit) {
                case "ns" -> 1;
                case "us", "µs", "μs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                case "" -> throw new IllegalArgumentException("time: missing unit in duration \"" + s + "\"");
                default -> throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + s + "\"");
            };
            nanos += number * scale;
        }
        long n = Math.round(nanos);
        return Duration.ofNanos(negative ? -n : n);
    }
}
