package io.etcdj.etcdctl.cli;

import java.io.PrintStream;

/**
 * The two cobra generations our tools imitate. They parse alike; they differ in the usage page
 * and in where the page printed with a usage error goes.
 */
public enum CobraStyle {
    /** etcdctl 3.4: its own template (NAME:, USAGE:, OPTIONS:, ...); a usage error's page on stdout. */
    ETCDCTL_34,
    /** cobra 1.x as etcdutl 3.5 runs it: cobra's default template (Usage:, Flags:, ...), all on stderr. */
    DEFAULT_TEMPLATE;

    /** The usage page of {@code cmd} (also its help page: both tools show the usage as help). */
    public String usage(Command cmd) {
        return this == ETCDCTL_34 ? UsageText.render(cmd) : DefaultUsageText.render(cmd);
    }

    /** Where the usage page printed after a usage error goes. */
    PrintStream usageErrorStream(Console console) {
        return this == ETCDCTL_34 ? console.out() : console.err();
    }
}
