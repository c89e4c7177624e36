package io.etcdj.benchmark.compare;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one workload on one cluster, read from the benchmark's JSON summary line; or
 * the reason there are none.
 */
public record Measurement(double rps, double p50, double p99, long requests, long errors, String failure) {

    public static Measurement failed(String why) {
        return new Measurement(Double.NaN, Double.NaN, Double.NaN, 0, 0, why);
    }

    public boolean ok() {
        return failure == null;
    }

    /** Reads the summary named {@code name} out of JSON lines written by {@code --output json}. */
    public static Measurement fromJsonLines(String output, String name) {
        for (String line : output.split("\n")) {
            if (line.startsWith("{\"name\":\"" + name + "\"")) {
                return new Measurement(number(line, "rps"), number(line, "50"), number(line, "99"),
                        (long) number(line, "requests"), (long) number(line, "errors"), null);
            }
        }
        return failed("no " + name + " summary");
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":([-0-9.Ee+]+|null)").matcher(json);
        if (!m.find() || m.group(1).equals("null")) {
            return Double.NaN;
        }
        return Double.parseDouble(m.group(1));
    }
}
