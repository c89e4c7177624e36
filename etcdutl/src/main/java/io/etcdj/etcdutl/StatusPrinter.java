package io.etcdj.etcdutl;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** Prints a {@link SnapshotStatus} in etcdutl 3.5's output formats but protobuf (byte-identical layouts). */
final class StatusPrinter {
    private static final List<String> HEADER = List.of("HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE");

    private StatusPrinter() {}

    static String print(SnapshotStatus s, String format) {
        List<String> row = List.of(Long.toHexString(s.hash()), Long.toString(s.revision()),
                Long.toString(s.totalKey()), humanBytes(s.totalSize()));
        return switch (format) {
            case "simple" -> String.join(", ", row) + "\n";
            case "json" -> "{\"hash\":" + s.hash() + ",\"revision\":" + s.revision() + ",\"totalKey\":" + s.totalKey()
                    + ",\"totalSize\":" + s.totalSize() + "}\n";
            case "fields" -> "\"Hash\" : " + s.hash() + "\n\"Revision\" : " + s.revision() + "\n\"Keys\" : " + s.totalKey()
                    + "\n\"Size\" : " + s.totalSize() + "\n";
            case "table" -> table(HEADER, row);
            default -> throw new IllegalArgumentException("unknown output format \"" + format + "\"");
        };
    }

    /** A one-row table: header cells centred, values right-aligned, one space of padding. */
    static String table(List<String> header, List<String> row) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(header.get(i).length(), row.get(i).length());
        }
        StringBuilder rule = new StringBuilder("+");
        StringBuilder head = new StringBuilder("|");
        StringBuilder body = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            rule.append("-".repeat(width[i] + 2)).append('+');
            int gap = width[i] - header.get(i).length();
            head.append(' ').append(" ".repeat(gap / 2)).append(header.get(i)).append(" ".repeat(gap - gap / 2)).append(" |");
            body.append(' ').append(" ".repeat(width[i] - row.get(i).length())).append(row.get(i)).append(" |");
        }
        return rule + "\n" + head + "\n" + rule + "\n" + body + "\n" + rule + "\n";
    }

    /** go-humanize's Bytes: SI units, one decimal below 10. */
    static String humanBytes(long n) {
        if (n < 10) {
            return n + " B";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        int e = (int) Math.floor(Math.log(n) / Math.log(1000));
        double val = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
        // Go's %.Nf rounds the exact binary value half to even (Java's %f rounds half up)
        String digits = new BigDecimal(val).setScale(val < 10 ? 1 : 0, RoundingMode.HALF_EVEN)
                .toPlainString();
        return digits + " " + units[e];
    }
}
