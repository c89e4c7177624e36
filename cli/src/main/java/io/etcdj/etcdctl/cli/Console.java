package io.etcdj.etcdctl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The process surroundings a command sees: its streams and its environment. */
public record Console(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
    public String getenv(String key) {
        String v = env.get(key);
        return v == null ? "" : v;
    }

    /** One line of stdin without its line end ("" at end of input), read byte by byte so nothing more is consumed. */
    public String readLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                b.write(c);
            }
        } catch (IOException e) {
            return "";
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
