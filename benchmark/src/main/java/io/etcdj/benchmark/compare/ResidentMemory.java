package io.etcdj.benchmark.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's resident memory, from the VmRSS line of /proc/PID/status (Linux). */
public final class ResidentMemory {
    private ResidentMemory() {}

    /** VmRSS in kilobytes, or empty when the process is gone or the line is missing. */
    public static OptionalLong kilobytes(long pid) {
        try {
            return parseStatus(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parseStatus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]));
            }
        }
        return OptionalLong.empty();
    }
}
