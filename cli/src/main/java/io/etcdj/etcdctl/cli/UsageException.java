package io.etcdj.etcdctl.cli;

/**
 * A command line the command refuses before doing anything (cobra's argument validators): reported
 * as a flag error is, "Error: message", the usage page, and "Error: message" again, exit 1.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
