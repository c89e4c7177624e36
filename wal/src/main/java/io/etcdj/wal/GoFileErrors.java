package io.etcdj.wal;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * A failed file operation in the words Go's os package uses ("mkdir /x: permission denied"), so
 * start-up errors read as etcd's. Java's exceptions often carry only the path as their message.
 */
public final class GoFileErrors {
    private GoFileErrors() {}

    /** {@code "<op> <file>: <reason>"}, e.g. "mkdir /proc/x: no such file or directory". */
    public static String describe(String op, FileSystemException e) {
        return op + " " + e.getFile() + ": " + reason(e);
    }

    static String reason(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        String reason = e.getReason();
        return reason == null ? String.valueOf(e.getMessage()) : reason.toLowerCase(Locale.ROOT);
    }
}
