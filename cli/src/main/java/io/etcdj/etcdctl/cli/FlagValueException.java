package io.etcdj.etcdctl.cli;

/** A flag value that does not parse; the message is Go's strconv/time error text. */
public final class FlagValueException extends Exception {
    public FlagValueException(String goMessage) {
        super(goMessage);
    }
}
