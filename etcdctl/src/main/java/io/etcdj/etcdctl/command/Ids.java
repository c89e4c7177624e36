package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.FlagValueException;
import io.etcdj.etcdctl.cli.GoStrconv;
import io.etcdj.etcdctl.cli.Invocation;

/** Hex lease and member IDs from arguments, with etcdctl's messages. */
final class Ids {
    private Ids() {}

    static long lease(Invocation inv, String arg) {
        try {
            return GoStrconv.parseInt(arg, 16, 64);
        } catch (FlagValueException e) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad lease ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }

    static long member(Invocation inv, String arg) {
        try {
            return GoStrconv.parseUint(arg, 16);
        } catch (FlagValueException e) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad member ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }
}
