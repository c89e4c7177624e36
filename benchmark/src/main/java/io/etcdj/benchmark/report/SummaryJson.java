package io.etcdj.benchmark.report;

import java.util.Locale;
import java.util.Map;

/**
 * One summary as one line of JSON ({@code --output json}), for scripts. Times are in seconds.
 * Shape:
 *
 * <pre>
 * {"name":"put","total":1.23,"requests":1000,"errors":0,"slowest":..,"fastest":..,"average":..,
 *  "stddev":..,"rps":..,"percentiles":{"10":..,"25":..,"50":..,"75":..,"90":..,"95":..,"99":..,"99.9":..},
 *  "histogram":[{"le":..,"count":..},..],"error_distribution":{"text":count,..}}
 * </pre>
 */
public final class SummaryJson {
    private SummaryJson() {}

    public static String format(String name, Summary s) {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"name\":").append(quote(name));
        b.append(",\"total\":").append(num(s.totalSeconds()));
        b.append(",\"requests\":").append(s.count());
        b.append(",\"errors\":").append(s.errorCount());
        b.append(",\"slowest\":").append(num(s.slowest()));
        b.append(",\"fastest\":").append(num(s.fastest()));
        b.append(",\"average\":").append(num(s.average()));
        b.append(",\"stddev\":").append(num(s.stddev()));
        b.append(",\"rps\":").append(num(s.requestsPerSecond()));
        b.append(",\"percentiles\":{");
        double[] p = s.percentiles();
        for (int i = 0; i < p.length; i++) {
            b.append(i == 0 ? "" : ",").append(quote(GoFloat.shortest(Summary.PERCENTILES[i]))).append(':')
                    .append(num(p[i]));
        }
        b.append("},\"histogram\":[");
        if (s.count() > 0) {
            Summary.Histogram h = s.histogram();
            for (int i = 0; i < h.bounds().length; i++) {
                b.append(i == 0 ? "" : ",").append("{\"le\":").append(num(h.bounds()[i])).append(",\"count\":")
                        .append(h.counts()[i]).append('}');
            }
        }
        b.append("],\"error_distribution\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : s.errors().entrySet()) {
            b.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        b.append("}}");
        return b.toString();
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return Double.toString(v); // always a valid JSON number for a finite double
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
