package io.etcdj.etcdctl.print;

import java.util.ArrayList;
import java.util.List;

/**
 * The bordered table olekukonko/tablewriter renders for etcdctl's -w table: upper-cased headers
 * centred, cells right-aligned, "+---+" rules above and below the header and at the end.
 * Not reproduced: tablewriter's word wrapping of cells wider than 30 columns.
 */
public final class AsciiTable {
    private AsciiTable() {}

    public static String render(List<String> header, List<List<String>> rows) {
        int n = header.size();
        int[] w = new int[n];
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String t = title(header.get(i));
            titles.add(t);
            w[i] = Math.max(w[i], width(t));
        }
        for (List<String> r : rows) {
            for (int i = 0; i < n; i++) {
                w[i] = Math.max(w[i], width(r.get(i)));
            }
        }
        StringBuilder b = new StringBuilder();
        rule(b, w);
        b.append('|');
        for (int i = 0; i < n; i++) {
            int gap = w[i] - width(titles.get(i));
            int left = gap / 2;
            b.append(' ').append(" ".repeat(left)).append(titles.get(i)).append(" ".repeat(gap - left)).append(" |");
        }
        b.append('\n');
        rule(b, w);
        for (List<String> r : rows) {
            b.append('|');
            for (int i = 0; i < n; i++) {
                String c = r.get(i);
                b.append(' ').append(" ".repeat(w[i] - width(c))).append(c).append(" |");
            }
            b.append('\n');
        }
        rule(b, w);
        return b.toString();
    }

    private static void rule(StringBuilder b, int[] w) {
        b.append('+');
        for (int x : w) {
            b.append("-".repeat(x + 2)).append('+');
        }
        b.append('\n');
    }

    private static String title(String h) {
        int orig = h.length();
        String s = h.replace('_', ' ').replace('.', ' ').trim();
        if (s.isEmpty() && orig > 0) {
            s = " ";
        }
        return s.toUpperCase();
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
