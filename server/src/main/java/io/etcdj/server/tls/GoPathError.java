package io.etcdj.server.tls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Go's {@code *PathError} texts for files named by flags ("open f: no such file or directory"),
 * where {@code f} is the path as the flag gave it.
 */
public final class GoPathError {
    private GoPathError() {}

    /** os.ReadFile: the whole file, or Go's error ("read f: is a directory" for a directory). */
    public static byte[] readFile(Path file, String shown) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw of(e, Files.isDirectory(file) ? "read" : "open", file, shown);
        }
    }

    /** The error of operation {@code op} ("open", "read") on {@code file}. */
    public static IOException of(IOException e, String op, Path file, String shown) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (Files.isDirectory(file)) {
            reason = "is a directory";
        } else {
            reason = String.valueOf(e.getMessage());
        }
        return new IOException(op + " " + shown + ": " + reason, e);
    }
}
