package io.etcdj.etcdctl.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter with minwidth 0, tabwidth 8, padding 1 and '\t' as the pad character, the
 * configuration etcdctl's usage text uses. Cells are tab-terminated; the text after a line's last
 * tab is not part of any column. A column block is a maximal run of consecutive lines that have a
 * cell in that column; its width is the widest cell plus padding, rounded up to a tab stop.
 */
public final class GoTabWriter {
    private static final int TAB_WIDTH = 8;
    private static final int PADDING = 1;

    private GoTabWriter() {}

    public static String format(String text) {
        String[] rawLines = text.split("\n", -1);
        List<List<String>> lines = new ArrayList<>();
        for (String l : rawLines) {
            List<String> cells = new ArrayList<>(List.of(l.split("\t", -1)));
            lines.add(cells);
        }
        StringBuilder out = new StringBuilder();
        List<Integer> widths = new ArrayList<>();
        formatBlock(lines, widths, 0, lines.size(), out);
        // writeLines ends every line with '\n', including the last one, which has none in the input
        String s = out.toString();
        return s.substring(0, s.length() - 1);
    }

    private static int formatBlock(List<List<String>> lines, List<Integer> widths, int line0, int line1,
                                   StringBuilder out) {
        int column = widths.size();
        for (int th = line0; th < line1; th++) {
            List<String> line = lines.get(th);
            if (column >= line.size() - 1) {
                continue;
            }
            writeLines(lines, widths, line0, th, out);
            line0 = th;
            int width = 0;
            for (; th < line1; th++) {
                line = lines.get(th);
                if (column >= line.size() - 1) {
                    break;
                }
                int w = runeCount(line.get(column)) + PADDING;
                if (w > width) {
                    width = w;
                }
            }
            widths.add(width);
            formatBlock(lines, widths, line0, th, out);
            widths.remove(widths.size() - 1);
            line0 = th;
            th--; // the for-loop increment re-examines line 'th' like Go's loop does
        }
        writeLines(lines, widths, line0, line1, out);
        return line1;
    }

    private static void writeLines(List<List<String>> lines, List<Integer> widths, int from, int to,
                                   StringBuilder out) {
        for (int i = from; i < to; i++) {
            List<String> line = lines.get(i);
            for (int j = 0; j < line.size(); j++) {
                String c = line.get(j);
                out.append(c);
                if (j < widths.size() && j < line.size() - 1) {
                    int cellw = (widths.get(j) + TAB_WIDTH - 1) / TAB_WIDTH * TAB_WIDTH;
                    int n = cellw - runeCount(c);
                    out.append("\t".repeat((n + TAB_WIDTH - 1) / TAB_WIDTH));
                } else if (j < line.size() - 1) {
                    out.append('\t');
                }
            }
            out.append('\n');
        }
    }

    private static int runeCount(String s) {
        return s.codePointCount(0, s.length());
    }
}
