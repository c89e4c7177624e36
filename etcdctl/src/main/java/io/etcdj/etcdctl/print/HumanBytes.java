package io.etcdj.etcdctl.print;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** go-humanize's Bytes: SI units, "%.1f" below 10 and "%.0f" above, Go's half-even rounding. */
public final class HumanBytes {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    private HumanBytes() {}

    public static String format(long s) {
        if (s < 10) {
            return s + " B";
        }
        int e = (int) Math.floor(Math.log(s) / Math.log(1000));
        String suffix = UNITS[e];
        double val = Math.floor(s / Math.pow(1000, e) * 10 + 0.5) / 10;
        int scale = val < 10 ? 1 : 0;
        return new BigDecimal(val).setScale(scale, RoundingMode.HALF_EVEN).toPlainString() + " " + suffix;
    }
}
