package io.etcdj.etcdctl.print;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Standard output as Go's fmt writes it: strings as UTF-8, byte slices as raw bytes. */
public record Output(PrintStream stream) {
    public void print(String s) {
        stream.write(s.getBytes(StandardCharsets.UTF_8), 0, s.getBytes(StandardCharsets.UTF_8).length);
    }

    public void println(String s) {
        print(s + "\n");
    }

    public void println() {
        print("\n");
    }

    public void printf(String fmt, Object... args) {
        print(String.format(fmt, args));
    }

    public void write(byte[] b) {
        stream.write(b, 0, b.length);
    }

    public void writeln(byte[] b) {
        write(b);
        print("\n");
    }
}
