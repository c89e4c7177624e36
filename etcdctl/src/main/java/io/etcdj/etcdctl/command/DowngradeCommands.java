package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.DowngradeRequest;
import io.etcdj.api.etcdserverpb.DowngradeRequest.DowngradeAction;
import io.etcdj.api.etcdserverpb.DowngradeResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import java.util.Locale;

/**
 * etcdctl 3.6's {@code downgrade validate|enable <TARGET_VERSION>} and {@code downgrade cancel}:
 * one Maintenance.Downgrade call each, printed as "Downgrade ACTION success, cluster version V"
 * (json and protobuf print the response; fields and table are unsupported). etcdctl 3.4.23 has no
 * such command, so it is hidden from help pages and completions to keep those byte-identical.
 */
final class DowngradeCommands {
    private DowngradeCommands() {}

    static Command build() {
        Command d = new Command("downgrade <TARGET_VERSION>",
                "Downgrade related commands. Use `etcdctl downgrade --help` to see subcommands", "Downgrade related commands",
                null);
        d.add(new Command("validate <TARGET_VERSION>", "Validate downgrade capability before starting downgrade",
                        inv -> run(inv, DowngradeAction.VALIDATE, targetVersion(inv))),
                new Command("enable <TARGET_VERSION>", "Start a downgrade action to cluster",
                        inv -> run(inv, DowngradeAction.ENABLE, targetVersion(inv))),
                new Command("cancel", "Cancel the ongoing downgrade action to cluster",
                        inv -> run(inv, DowngradeAction.CANCEL, "")));
        return d.hide();
    }

    /** validate and enable take exactly one non-empty version; cancel ignores its arguments. */
    private static String targetVersion(Invocation inv) {
        if (inv.args().isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "TARGET_VERSION not provided");
        }
        if (inv.args().size() > 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "too many arguments");
        }
        if (inv.args().get(0).isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "target version not provided");
        }
        return inv.args().get(0);
    }

    private static void run(Invocation inv, DowngradeAction action, String version) {
        Session s = new Session(inv);
        DowngradeResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.maintenance().downgrade(
                    DowngradeRequest.newBuilder().setAction(action).setVersion(version).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        String name = action.name().toLowerCase(Locale.ROOT);
        s.print(() -> s.printer().downgrade(name, resp));
    }
}
